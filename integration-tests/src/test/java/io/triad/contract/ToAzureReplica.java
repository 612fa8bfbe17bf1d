package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.ClientOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.azblob.AzureBlobStore;
import io.triad.azure.SecureAzurite;
import io.triad.functions.store.BlobStore;
import io.triad.gcs.testing.LoopbackTls;
import io.triad.permissions.AwsRoleTokenDouble;
import io.triad.permissions.AzureCallRecorder;
import io.triad.permissions.EntraFederationDouble;
import io.triad.settings.GcpContract;
import io.triad.settings.TriadContract;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Another cloud's copy of each promotion into the Azure stack's container, as the built stacks
 * configure it: GCP's ({@code replication.gcpToAzure} of {@code infra/triad.yaml}) or AWS's ({@code
 * replication.awsToAzure}). The identity, tenant and container are the ones the writing stack
 * names; Entra decides from the built Azure stack's federated credentials (issuer, subject,
 * audience) and the issuer's signing key, Google's or the AWS account's ({@link
 * EntraFederationDouble}: no Entra runs here; AWS STS's role tokens come from {@link
 * AwsRoleTokenDouble}); the container is an Azurite over HTTPS that takes Entra's Storage tokens
 * (and no shared key). What the identity may do there is checked afterwards against its role
 * assignment's condition, with the Azure stack's other grants (its calls are recorded as {@code
 * gcp-replicas} or {@code aws-replicas}).
 */
final class ToAzureReplica implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The identity's object id in the tests: Entra assigns it, the stacks never name it. */
  private static final String OBJECT_ID = "0b1e5c7d-0000-4000-8000-00000000dd01";

  private final LoopbackTls tls;
  private final AutoCloseable trusted;
  private final EntraFederationDouble entra;
  private final SecureAzurite azurite;
  private final BlobContainerClient container;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final String uri;
  private final AutoCloseable issuer;

  /**
   * @param googleKey the key the functions' Google ID tokens are signed with (Google's published
   *     keys, to Entra)
   */
  static ToAzureReplica gcp(Path work, PublicKey googleKey) throws Exception {
    JsonNode env = null;
    for (JsonNode function : stack("gcp").at("/resource/google_cloudfunctions2_function")) {
      if (function.at("/build_config/entry_point").asText().equals(GcpContract.STORAGE_ENTRY)) {
        env = function.at("/service_config/environment_variables");
      }
    }
    if (env == null || !env.has(TriadContract.REPLICA_AZURE_CLIENT_ID)) {
      throw new IllegalStateException("the built GCP stack copies no promotion to Azure");
    }
    JsonNode azure = stack("azure");
    return new ToAzureReplica(
        work,
        env,
        azure,
        credentials(azure, "gcp-replica"),
        Map.of("https://accounts.google.com", googleKey),
        null);
  }

  /**
   * The AWS s3 function's copy, as the built AWS stack configures it. AWS STS's {@code
   * GetWebIdentityToken} is {@link AwsRoleTokenDouble}, with the issuer the Azure stack trusts (the
   * account's, as {@code replication.awsToAzure.awsIssuer} states it); in this JVM every function
   * signs with one key, which it answers as the s3 function's role.
   */
  static ToAzureReplica aws(Path work, String accessKey, String secretKey, String region)
      throws Exception {
    AwsCopyingFunction s3 = AwsCopyingFunction.built();
    if (!s3.copiesWith(TriadContract.REPLICA_AZURE_CLIENT_ID)) {
      throw new IllegalStateException("the built AWS stack copies no promotion to Azure");
    }
    JsonNode env = s3.env();
    String roleName = s3.roleName();
    JsonNode azure = stack("azure");
    List<EntraFederationDouble.Credential> credentials = credentials(azure, "aws-replica");
    AwsRoleTokenDouble sts =
        new AwsRoleTokenDouble(
            credentials.get(0).issuer(),
            region,
            Map.of(
                accessKey,
                Map.entry(
                    secretKey, "arn:aws:iam::" + AwsCloudDouble.ACCOUNT + ":role/" + roleName)),
            Clock.systemUTC());
    try {
      ToAzureReplica replica =
          new ToAzureReplica(
              work,
              env,
              azure,
              credentials,
              Map.of(credentials.get(0).issuer(), sts.publicKey()),
              sts);
      replica.settings.put(TriadContract.REPLICA_STS_ENDPOINT, sts.endpoint().toString());
      return replica;
    } catch (Exception | Error e) {
      sts.close();
      throw e;
    }
  }

  /**
   * The federated credentials of the built Azure stack's identity whose name holds {@code marker}.
   */
  private static List<EntraFederationDouble.Credential> credentials(JsonNode azure, String marker) {
    List<EntraFederationDouble.Credential> credentials = new ArrayList<>();
    String identity = null;
    for (var e : azure.at("/resource/azurerm_user_assigned_identity").properties()) {
      if (e.getKey().contains(marker)) {
        identity = "${azurerm_user_assigned_identity." + e.getKey() + ".id}";
      }
    }
    for (JsonNode credential : azure.at("/resource/azurerm_federated_identity_credential")) {
      if (credential.path("parent_id").asText().equals(identity)) {
        credentials.add(
            new EntraFederationDouble.Credential(
                credential.path("issuer").asText(),
                credential.path("subject").asText(),
                credential.at("/audience/0").asText()));
      }
    }
    if (credentials.isEmpty()) {
      throw new IllegalStateException("the built Azure stack trusts no " + marker + " writer");
    }
    return credentials;
  }

  /**
   * @param issuers each trusted issuer's signing key
   * @param issuer what issues the writers' tokens here, closed with this (or null)
   */
  private ToAzureReplica(
      Path work,
      JsonNode env,
      JsonNode azure,
      List<EntraFederationDouble.Credential> credentials,
      Map<String, PublicKey> issuers,
      AutoCloseable issuer)
      throws Exception {
    this.issuer = issuer;
    JsonNode models =
        JSON.readTree(env.path(TriadContract.MODEL_SETTINGS).asText()).at("/triad/models");
    String found = null;
    for (JsonNode replica : models.elements().next().path("replicas")) {
      if (replica.asText().startsWith(AzureBlobStore.SCHEME + "://")) {
        found = replica.asText();
      }
    }
    if (found == null) {
      throw new IllegalStateException("the built stack lists no azblob:// replica");
    }
    this.uri = found;
    String tenant = env.path(TriadContract.REPLICA_AZURE_TENANT).asText();
    this.tls = LoopbackTls.shared();
    this.entra =
        new EntraFederationDouble(
            tls,
            tenant,
            // the client id the writing stack is configured with stands for the identity's
            env.path(TriadContract.REPLICA_AZURE_CLIENT_ID).asText(),
            OBJECT_ID,
            credentials,
            issuers,
            Clock.systemUTC());
    try {
      this.azurite = SecureAzurite.start(work.resolve("azure-replica"), tls.pfx(), tls.password());
    } catch (Exception | Error e) {
      entra.close();
      throw e;
    }
    this.trusted = tls.trustedByDefault();
    // the container exists in the Azure stack; the test's own client (left out of the permission
    // checks) makes it here
    this.container =
        new BlobContainerClientBuilder()
            .endpoint(azurite.endpoint() + "/" + container(uri))
            .credential(
                request ->
                    Mono.just(
                        new AccessToken(entra.storageToken(), OffsetDateTime.now().plusHours(1))))
            .httpClient(new JdkHttpClientBuilder().build())
            .clientOptions(new ClientOptions().setApplicationId(AzureCallRecorder.TEST_CLIENT))
            .buildClient();
    container.create();
    settings.put(
        TriadContract.REPLICA_AZURE_TENANT, env.path(TriadContract.REPLICA_AZURE_TENANT).asText());
    settings.put(
        TriadContract.REPLICA_AZURE_CLIENT_ID,
        env.path(TriadContract.REPLICA_AZURE_CLIENT_ID).asText());
    settings.put(TriadContract.REPLICA_ENTRA_AUTHORITY, entra.authority().toString());
    settings.put(TriadContract.REPLICA_BLOB_ENDPOINT, azurite.endpoint());
  }

  private static String container(String uri) {
    return URI.create(uri).getPath().replaceAll("^/+|/+$", "");
  }

  private static JsonNode stack(String cloud) throws IOException {
    return JSON.readTree(Files.readString(Path.of(System.getProperty("triad.stack." + cloud))));
  }

  /** What the functions are started with besides {@link ToAwsReplica#settings()}. */
  Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  /**
   * The promoted {@code version} reaches the Azure container byte for byte, its alias moved; the
   * source's record says so; Entra gave the identity's token to a trusted writer and to no one
   * else.
   */
  void assertCopied(BlobStore source, String model, String version) throws Exception {
    BlobStore there = new AzureBlobStore(container);
    ReplicaCopied.assertCopied(
        source, ReplicaCopied.readingFrom(there), "Azure container", uri, model, version);
    assertThat(entra.unexpected()).as("requests Entra's double does not serve").isEmpty();
    assertThat(entra.decisions())
        .as("Entra's decisions")
        .isNotEmpty()
        .allSatisfy(
            d -> {
              assertThat(d.status()).isEqualTo(200);
              assertThat(d.subject()).isIn(entra.subjects());
            });
  }

  @Override
  public void close() {
    // the JVM's HTTPS trust first, then the doubles and what issues the writers' tokens
    Closing.all(trusted, azurite, entra, issuer);
  }
}
