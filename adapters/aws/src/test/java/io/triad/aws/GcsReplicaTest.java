package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.aws.testing.CallerIdentityStandIn;
import io.triad.aws.testing.CallerIdentityStandIn.Session;
import io.triad.functions.store.BlobStore;
import io.triad.gcs.testing.GoogleFederationDouble;
import io.triad.settings.AwsContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The s3 function writing a {@code gs://} replica as the stack configures it: the real Cloud
 * Storage client (JSON API, on this module's class path) with a federated token that Google's token
 * exchange gives for a {@code GetCallerIdentity} request the real Google auth library signs with
 * the function role's session credentials. Google's side is {@link GoogleFederationDouble}, and AWS
 * STS (which Google asks who signed the request) {@link CallerIdentityStandIn}, which recomputes
 * the signature for the sessions it knows: neither service runs here. The bucket grants the s3
 * role's principal set {@code models/iris/} only, as the GCP stack's grant does.
 */
class GcsReplicaTest {
  private static final String ACCOUNT = "123456789012";
  private static final String PROVIDER =
      "//iam.googleapis.com/projects/314159265358/locations/global/workloadIdentityPools/"
          + "triad-replicas/providers/aws-functions";
  private static final String BUCKET = "project-triad";
  private static final String S3_ROLE = "triad-s3-function";

  /** Each session the stand-in STS issued, by access key. */
  private final Map<String, Session> sessions =
      Map.of(
          "ASIAS3FUNCTION",
          new Session(
              "s3-secret",
              "s3-token",
              "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + S3_ROLE + "/s"),
          "ASIAHTTPFUNCTION",
          new Session(
              "http-secret",
              "http-token",
              "arn:aws:sts::" + ACCOUNT + ":assumed-role/triad-http-function/h"),
          "ASIAOTHERACCOUNT",
          new Session(
              "other-secret",
              "other-token",
              "arn:aws:sts::210987654321:assumed-role/" + S3_ROLE + "/s"));

  private GoogleFederationDouble google;
  private AutoCloseable trusted;
  private Map<String, String> settings;

  @BeforeEach
  void start() throws Exception {
    google =
        new GoogleFederationDouble(
            new GoogleFederationDouble.AwsProvider(
                PROVIDER,
                ACCOUNT,
                Set.of(S3_ROLE, "triad-schedule-function"),
                new CallerIdentityStandIn(sessions)),
            (principal, permission, object) ->
                principal.endsWith("/attribute.aws_role/" + S3_ROLE)
                    && object.startsWith(BUCKET + "/models/iris/"));
    trusted = google.trust();
    settings =
        Map.of(
            AwsContract.REPLICA_GCP_AUDIENCE, PROVIDER,
            AwsContract.REPLICA_GCP_STS_ENDPOINT, google.sts().toString(),
            AwsContract.REPLICA_GCS_ENDPOINT, google.storage().toString());
  }

  @AfterEach
  void stop() throws Exception {
    trusted.close();
    google.close();
  }

  private BlobStore replica(String accessKey, String secret) {
    Session session = sessions.get(accessKey);
    return GoogleFederation.replicaStores(
            settings::get,
            AwsContract.S3,
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    accessKey, secret, session == null ? "none" : session.token())),
            "eu-west-1",
            GcsReplicaTest::noAzure)
        .open("gs://" + BUCKET);
  }

  /** No Azure route here: a role token asked for would be a mistake. */
  private static String noAzure() {
    throw new AssertionError("a gs:// replica asked for a role token for Entra");
  }

  @Test
  void replica_should_beWrittenAndReadBackWithAFederatedToken(@TempDir Path work) throws Exception {
    BlobStore replica = replica("ASIAS3FUNCTION", "s3-secret");
    Path file = work.resolve("model.onnx");
    byte[] model = new byte[300_000];
    new java.util.Random(7).nextBytes(model);
    Files.write(file, model);

    replica.put("models/iris/v2/model.onnx", file);
    replica.put("models/iris/aliases/production", "v2".getBytes(StandardCharsets.UTF_8));
    replica.put("models/iris/aliases/production", "v3".getBytes(StandardCharsets.UTF_8));

    assertThat(google.object(BUCKET, "models/iris/v2/model.onnx")).isEqualTo(model);
    assertThat(replica.read("models/iris/v2/model.onnx")).isEqualTo(model);
    assertThat(new String(replica.read("models/iris/aliases/production"), StandardCharsets.UTF_8))
        .isEqualTo("v3");
    assertThat(replica.head("models/iris/v9/model.onnx")).isEmpty();

    // one exchange, at the stack's provider, of a signed GetCallerIdentity request
    assertThat(google.exchanges()).hasSize(1);
    Map<String, String> exchange = google.exchanges().get(0);
    assertThat(exchange.get("audience")).isEqualTo(PROVIDER);
    assertThat(exchange.get("subject_token_type")).isEqualTo(GoogleFederationDouble.AWS4_REQUEST);
    assertThat(exchange.get("scope")).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
    // every storage request ran as the role's session and named the function
    assertThat(google.calls())
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.principal())
                  .isEqualTo(google.principalOf(sessions.get("ASIAS3FUNCTION").arn()));
              assertThat(call.userAgent()).contains("triad/" + AwsContract.S3);
            });
  }

  @Test
  void replica_should_failInWords_when_AwsOrGoogleRefuses(@TempDir Path work) throws Exception {
    Path file = work.resolve("x.csv");
    Files.writeString(file, "a,b\n");

    for (Map.Entry<List<String>, String> refused :
        Map.of(
                // a secret AWS did not issue: the signature AWS computes differs
                List.of("ASIAS3FUNCTION", "guessed"),
                "The request signature we calculated does not match",
                // a session AWS never issued
                List.of("ASIAUNKNOWN", "x"),
                "The security token included in the request is invalid",
                // the HTTP function's role: the provider's attribute condition rejects it
                List.of("ASIAHTTPFUNCTION", "http-secret"),
                "rejected by the attribute condition",
                // a role of the same name in another account
                List.of("ASIAOTHERACCOUNT", "other-secret"),
                "The caller's AWS account is not the provider's")
            .entrySet()) {
      BlobStore replica = replica(refused.getKey().get(0), refused.getKey().get(1));
      assertThatThrownBy(() -> replica.put("models/iris/v2/x.csv", file))
          .as("%s", refused.getKey())
          .hasStackTraceContaining(refused.getValue());
    }

    // the s3 role, outside what the bucket grants it
    BlobStore writer = replica("ASIAS3FUNCTION", "s3-secret");
    assertThatThrownBy(() -> writer.put("models/digits/v2/x.csv", file))
        .hasMessageContaining("does not have storage.objects.create access");
    assertThat(google.object(BUCKET, "models/digits/v2/x.csv")).isNull();
    assertThat(google.object(BUCKET, "models/iris/v2/x.csv")).isNull();
  }

  @Test
  void replica_should_beRefusedInWords_when_noProviderIsConfigured() {
    assertThatThrownBy(
            () ->
                GoogleFederation.replicaStores(
                        Map.<String, String>of()::get,
                        AwsContract.S3,
                        StaticCredentialsProvider.create(
                            AwsSessionCredentials.create("a", "b", "c")),
                        "eu-west-1",
                        GcsReplicaTest::noAzure)
                    .open("gs://" + BUCKET))
        .hasMessageContaining("no workload identity provider")
        .hasMessageContaining(AwsContract.REPLICA_GCP_AUDIENCE);
  }
}
