package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.aws.AwsClients;
import io.triad.aws.AwsSettings;
import io.triad.aws.testing.S3Emulator;
import io.triad.functions.api.TriadJson;
import io.triad.functions.replication.ReplicationStatus;
import io.triad.functions.replication.Replicator;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import io.triad.permissions.AwsStsDouble;
import io.triad.permissions.GoogleMetadataDouble;
import io.triad.s3.S3BlobStore;
import io.triad.settings.GcpContract;
import io.triad.settings.TriadContract;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GCP stack's copy of each promotion into the AWS stack's bucket ({@code replication.gcpToAws}
 * of {@code infra/triad.yaml}), as the GCP functions make it: the settings the synthesized GCP
 * stack gives its objects function, the bucket (an S3 emulator, recording every call for the
 * permission checks) the stack names, STS deciding from the synthesized AWS stack's trust policy
 * ({@link AwsStsDouble}), and the metadata server's ID tokens ({@link GoogleMetadataDouble}, for
 * the first service account the AWS role trusts). The loop's promoted model stands for the model
 * the stack replicates. No STS or metadata server can run here: both are doubles, and say so.
 */
final class GcpToAwsReplica implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> settings = new LinkedHashMap<>();
  private final S3Emulator bucket;
  private final GoogleMetadataDouble metadata;
  private final AwsStsDouble sts;
  private final String uri;
  private final String writer;

  /** Starts the doubles and the bucket for {@code model}, the loop's promoted model. */
  GcpToAwsReplica(Path work, String model) throws Exception {
    JsonNode gcp = JSON.readTree(Files.readString(Path.of(System.getProperty("triad.stack.gcp"))));
    JsonNode env = null;
    for (JsonNode function : gcp.at("/resource/google_cloudfunctions2_function")) {
      if (function.at("/build_config/entry_point").asText().equals(GcpContract.STORAGE_ENTRY)) {
        env = function.at("/service_config/environment_variables");
      }
    }
    if (env == null || !env.has(GcpContract.REPLICA_AWS_ROLE)) {
      throw new IllegalStateException("the built GCP stack copies no promotion to AWS");
    }
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
      JsonNode subjects = trust.findValue("accounts.google.com:sub");
      if (subjects != null) {
        writer = subjects.get(0).asText();
      }
    }
    if (writer == null) {
      throw new IllegalStateException("the built AWS stack has no role GCP's functions may assume");
    }
    this.writer = writer;

    this.bucket = S3Emulator.start(work.resolve("aws-replica"), URI.create(uri).getHost(), null);
    this.metadata =
        new GoogleMetadataDouble(
            writer, "triad-objects@triad.iam.gserviceaccount.com", Clock.systemUTC());
    this.sts =
        new AwsStsDouble(
            AwsStsDouble.builtStack(), metadata.publicKey(), "S3RVER", "S3RVER", Clock.systemUTC());
    settings.put(GcpContract.REPLICA_AWS_ROLE, env.path(GcpContract.REPLICA_AWS_ROLE).asText());
    settings.put(GcpContract.REPLICA_AWS_REGION, env.path(GcpContract.REPLICA_AWS_REGION).asText());
    settings.put(GcpContract.REPLICA_STS_ENDPOINT, sts.endpoint().toString());
    settings.put(GcpContract.REPLICA_S3_ENDPOINT, bucket.endpoint().toString());
    settings.put(GcpContract.METADATA_HOST, metadata.host());
    // SPRING_APPLICATION_JSON's system-property form, which Spring Boot reads the same way
    settings.put("spring.application.json", JSON.writeValueAsString(loop));
  }

  /**
   * What the GCP functions started while it runs are given; the caller clears them once they have
   * started (the Azure runtime in this JVM starts later, and must not see them).
   */
  Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  /**
   * The promoted {@code version} reaches the AWS bucket, byte for byte, its alias moved; the
   * source's record says so; STS gave the objects function's session to the trusted account.
   */
  void assertCopied(BlobStore source, String model, String version) throws Exception {
    S3BlobStore aws =
        new S3BlobStore(
            AwsClients.s3(
                AwsSettings.from(
                    Map.of(
                            AwsSettings.REGION,
                            settings.get(GcpContract.REPLICA_AWS_REGION),
                            AwsSettings.S3_ENDPOINT,
                            bucket.endpoint().toString())
                        ::get)),
            URI.create(uri).getHost());
    String alias = BucketLayout.alias(model, BucketLayout.PRODUCTION);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!(aws.exists(alias) && new String(aws.read(alias)).equals(version))
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(aws.exists(alias) ? new String(aws.read(alias)) : null)
        .as("the AWS bucket's %s alias, copied from GCP", model)
        .isEqualTo(version);
    List<io.triad.functions.store.BlobInfo> files =
        source.list(BucketLayout.modelDir(model, version));
    assertThat(files).isNotEmpty();
    for (io.triad.functions.store.BlobInfo file : files) {
      assertThat(aws.read(file.key())).as(file.key()).isEqualTo(source.read(file.key()));
    }
    ReplicationStatus status =
        TriadJson.mapper()
            .readValue(
                source.read(BucketLayout.replicationStatus(model, version)),
                ReplicationStatus.class);
    ReplicationStatus.Destination there = status.destinations().get(uri);
    assertThat(there.state()).as("%s", status).isEqualTo(Replicator.DONE);
    assertThat(there.aliasMoved()).isTrue();
    assertThat(sts.decisions())
        .as("STS's decisions")
        .anySatisfy(
            d -> {
              assertThat(d.status()).isEqualTo(200);
              assertThat(d.sessionName()).isEqualTo("triad-objects");
              assertThat(d.subject()).isEqualTo(writer);
            })
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
  }

  @Override
  public void close() {
    try {
      sts.close();
      metadata.close();
    } finally {
      try {
        bucket.close();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
