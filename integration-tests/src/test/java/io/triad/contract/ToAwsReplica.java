package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.aws.AwsClients;
import io.triad.aws.AwsSettings;
import io.triad.aws.testing.S3Emulator;
import io.triad.functions.store.BlobStore;
import io.triad.permissions.AwsStsDouble;
import io.triad.permissions.EntraTokenDouble;
import io.triad.permissions.GoogleMetadataDouble;
import io.triad.s3.S3BlobStore;
import io.triad.settings.GcpContract;
import io.triad.settings.TriadContract;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Another stack's copy of each promotion into the AWS stack's bucket ({@code replication.gcpToAws}
 * and {@code replication.azureToAws} of {@code infra/triad.yaml}), as that stack's functions make
 * it: the settings the synthesized stack gives its promoting function, the bucket (an S3 emulator,
 * recording every call for the permission checks) the stack names, STS deciding from the
 * synthesized AWS stack's trust policies and OpenID Connect providers ({@link AwsStsDouble}), and
 * the identity tokens of the first identity the AWS role trusts: the metadata server's ({@link
 * GoogleMetadataDouble}) on GCP, Entra's for the app's managed identity ({@link EntraTokenDouble})
 * on Azure. The loop's promoted model stands for the model the stack replicates. No STS, metadata
 * server or Entra can run here: they are doubles, and say so.
 */
final class ToAwsReplica implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> settings = new LinkedHashMap<>();
  private final S3Emulator bucket;
  private final Runnable stopIssuer;
  private final AwsStsDouble sts;
  private final String uri;
  private final String writer;
  private final String session;
  private final EntraTokenDouble entra;
  private final PublicKey googleKey;

  /** GCP's objects function's copy, with its service account's Google ID tokens. */
  static ToAwsReplica gcp(Path work, String model) throws Exception {
    JsonNode env = null;
    for (JsonNode function : stack("gcp").at("/resource/google_cloudfunctions2_function")) {
      if (function.at("/build_config/entry_point").asText().equals(GcpContract.STORAGE_ENTRY)) {
        env = function.at("/service_config/environment_variables");
      }
    }
    return new ToAwsReplica(work, model, env, "accounts.google.com:sub", "triad-objects", null);
  }

  /** Azure's events app's copy, with its managed identity's tokens for Entra's exchange. */
  static ToAwsReplica azure(Path work, String model) throws Exception {
    JsonNode env = null;
    for (JsonNode app : stack("azure").at("/resource/azurerm_function_app_flex_consumption")) {
      if (!app.path("name").asText().endsWith("-serve")) {
        env = app.path("app_settings");
      }
    }
    JsonNode provider =
        AwsStsDouble.builtStack().at("/resource/aws_iam_openid_connect_provider").elements().next();
    String issuer = provider.path("url").asText();
    return new ToAwsReplica(
        work, model, env, issuer.substring("https://".length()) + ":sub", "triad-events", issuer);
  }

  /**
   * Starts the doubles and the bucket for {@code model}, the loop's promoted model.
   *
   * @param env the promoting function's settings in the built stack
   * @param subject the trust policy's condition key naming the identities it trusts
   * @param entraIssuer the tenant's issuer on Azure; null on GCP
   */
  private ToAwsReplica(
      Path work, String model, JsonNode env, String subject, String session, String entraIssuer)
      throws Exception {
    if (env == null || !env.has(TriadContract.REPLICA_AWS_ROLE)) {
      throw new IllegalStateException("the built stack copies no promotion to AWS");
    }
    this.session = session;
    // {"triad":{"models":{"iris":{"replicas":[...]}}}}: the stack's model, and the loop's in its
    // place
    JsonNode models =
        JSON.readTree(env.path(TriadContract.MODEL_SETTINGS).asText()).at("/triad/models");
    String replicated = models.fieldNames().next();
    this.uri = models.at("/" + replicated + "/replicas/0").asText();
    ObjectNode loop = JSON.createObjectNode();
    loop.putObject("triad").putObject("models").set(model, models.path(replicated));
    String writer = null;
    for (JsonNode role : AwsStsDouble.builtStack().at("/resource/aws_iam_role")) {
      JsonNode trust = JSON.readTree(role.path("assume_role_policy").asText());
      JsonNode subjects = trust.findValue(subject);
      if (subjects != null) {
        writer = subjects.get(0).asText();
      }
    }
    if (writer == null) {
      throw new IllegalStateException("the built AWS stack has no role trusting " + subject);
    }
    this.writer = writer;

    this.bucket = S3Emulator.start(work.resolve("aws-replica"), URI.create(uri).getHost(), null);
    PublicKey key;
    if (entraIssuer == null) {
      GoogleMetadataDouble metadata =
          new GoogleMetadataDouble(
              writer, "triad-objects@triad.iam.gserviceaccount.com", Clock.systemUTC());
      this.stopIssuer = metadata::close;
      this.entra = null;
      key = metadata.publicKey();
      this.googleKey = key;
      entraIssuer = GoogleMetadataDouble.ISSUER;
      settings.put(GcpContract.METADATA_HOST, metadata.host());
    } else {
      String tenant = URI.create(entraIssuer).getPath().split("/")[1];
      this.entra = new EntraTokenDouble(tenant, writer, Clock.systemUTC());
      this.stopIssuer = () -> {};
      this.googleKey = null;
      key = entra.publicKey();
    }
    this.sts =
        new AwsStsDouble(
            AwsStsDouble.builtStack(),
            Map.of(entraIssuer, key),
            "S3RVER",
            "S3RVER",
            Clock.systemUTC());
    settings.put(TriadContract.REPLICA_AWS_ROLE, env.path(TriadContract.REPLICA_AWS_ROLE).asText());
    settings.put(
        TriadContract.REPLICA_AWS_REGION, env.path(TriadContract.REPLICA_AWS_REGION).asText());
    settings.put(TriadContract.REPLICA_STS_ENDPOINT, sts.endpoint().toString());
    settings.put(TriadContract.REPLICA_S3_ENDPOINT, bucket.endpoint().toString());
    // SPRING_APPLICATION_JSON's system-property form, which Spring Boot reads the same way
    settings.put("spring.application.json", JSON.writeValueAsString(loop));
  }

  private static JsonNode stack(String cloud) throws IOException {
    return JSON.readTree(Files.readString(Path.of(System.getProperty("triad.stack." + cloud))));
  }

  /** The key GCP's ID tokens are signed with: Google's published keys. */
  PublicKey googleKey() {
    return googleKey;
  }

  /** The key Azure's tokens are signed with: the tenant's published keys. */
  PublicKey entraKey() {
    return entra.publicKey();
  }

  /** Azure's tokens for {@code resource}, as Entra mints them for the app's managed identity. */
  String entraToken(String resource) {
    return entra.token(resource);
  }

  /**
   * What the functions started while it runs are given; the caller clears them once they have
   * started (the other runtimes in this JVM must not see them).
   */
  Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  /**
   * The promoted {@code version} reaches the AWS bucket, byte for byte, its alias moved; the
   * source's record says so; STS gave the promoting function's session to the trusted identity.
   */
  void assertCopied(BlobStore source, String model, String version) throws Exception {
    S3BlobStore aws =
        new S3BlobStore(
            AwsClients.s3(
                AwsSettings.from(
                    Map.of(
                            AwsSettings.REGION,
                            settings.get(TriadContract.REPLICA_AWS_REGION),
                            AwsSettings.S3_ENDPOINT,
                            bucket.endpoint().toString())
                        ::get)),
            URI.create(uri).getHost());
    ReplicaCopied.assertCopied(
        source, ReplicaCopied.readingFrom(aws), "AWS bucket", uri, model, version);
    assertThat(sts.decisions())
        .as("STS's decisions")
        .anySatisfy(
            d -> {
              assertThat(d.status()).isEqualTo(200);
              assertThat(d.sessionName()).isEqualTo(session);
              assertThat(d.subject()).isEqualTo(writer);
            })
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
  }

  @Override
  public void close() {
    try {
      sts.close();
      stopIssuer.run();
    } finally {
      try {
        bucket.close();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
