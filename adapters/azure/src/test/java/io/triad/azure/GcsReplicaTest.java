package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.triad.functions.store.BlobStore;
import io.triad.gcs.testing.GoogleFederationDouble;
import io.triad.settings.AzureContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import reactor.core.publisher.Mono;

/**
 * The events app writing a {@code gs://} replica as the stack configures it: the real Cloud Storage
 * client (JSON API, on this module's class path, without gRPC's transport) with a federated token
 * that Google's token exchange gives for the managed identity's Entra token. Google's side is
 * {@link GoogleFederationDouble} (neither service runs here), which grants the writer {@code
 * models/iris/} only, as the GCP stack's bucket grant does; the managed identity is a stand-in
 * credential that answers with a token carrying the claims Entra's would (the double checks claims,
 * not signatures).
 */
class GcsReplicaTest {
  private static final String TENANT = "72f988bf-0000-4000-8000-00000000aaaa";
  private static final String WRITER = "5c1f9a3e-0000-4000-8000-00000000bbbb";
  private static final String ISSUER = "https://login.microsoftonline.com/" + TENANT + "/v2.0";
  private static final String PROVIDER =
      "//iam.googleapis.com/projects/314159265358/locations/global/workloadIdentityPools/"
          + "triad-replicas/providers/azure";
  private static final String BUCKET = "project-triad";

  private final List<List<String>> asked = new CopyOnWriteArrayList<>();
  private GoogleFederationDouble google;
  private AutoCloseable trusted;
  private MockEnvironment env;

  @BeforeEach
  void start() throws Exception {
    google =
        new GoogleFederationDouble(
            new GoogleFederationDouble.Provider(
                PROVIDER, ISSUER, AzureContract.TOKEN_EXCHANGE_AUDIENCE, Set.of(WRITER)),
            (principal, permission, object) ->
                principal.endsWith("/subject/" + WRITER)
                    && object.startsWith(BUCKET + "/models/iris/"));
    trusted = google.trust();
    env = new MockEnvironment();
    env.setProperty(AzureContract.REPLICA_GCP_AUDIENCE, PROVIDER);
    env.setProperty(AzureContract.REPLICA_GCP_STS_ENDPOINT, google.sts().toString());
    env.setProperty(AzureContract.REPLICA_GCS_ENDPOINT, google.storage().toString());
  }

  @AfterEach
  void stop() throws Exception {
    trusted.close();
    google.close();
  }

  @Test
  void replica_should_beWrittenAndReadBackWithAFederatedToken(@TempDir Path work) throws Exception {
    BlobStore replica =
        AzureRuntime.replicaStores(env, () -> entra(WRITER, AzureContract.TOKEN_EXCHANGE_AUDIENCE))
            .open("gs://" + BUCKET);
    Path file = work.resolve("model.onnx");
    byte[] model = new byte[300_000];
    new java.util.Random(7).nextBytes(model);
    Files.write(file, model);

    replica.put("models/iris/v2/model.onnx", file);
    replica.put("models/iris/aliases/production", "v2".getBytes(StandardCharsets.UTF_8));
    // the alias moves again: an object replaced
    replica.put("models/iris/aliases/production", "v3".getBytes(StandardCharsets.UTF_8));

    assertThat(google.object(BUCKET, "models/iris/v2/model.onnx")).isEqualTo(model);
    assertThat(replica.read("models/iris/v2/model.onnx")).isEqualTo(model);
    assertThat(replica.head("models/iris/v2/model.onnx"))
        .get()
        .extracting(i -> i.size())
        .isEqualTo((long) model.length);
    assertThat(new String(replica.read("models/iris/aliases/production"), StandardCharsets.UTF_8))
        .isEqualTo("v3");
    assertThat(replica.head("models/iris/v9/model.onnx")).isEmpty();
    assertThat(replica.putIfAbsent("models/iris/v2/model.onnx", new byte[] {1})).isFalse();

    // one exchange, at the stack's provider, with the managed identity's token for Entra's
    // token exchange
    assertThat(asked).containsOnly(List.of("api://AzureADTokenExchange/.default"));
    assertThat(google.exchanges()).hasSize(1);
    Map<String, String> exchange = google.exchanges().get(0);
    assertThat(exchange.get("audience")).isEqualTo(PROVIDER);
    assertThat(exchange.get("subject_token_type"))
        .isEqualTo("urn:ietf:params:oauth:token-type:jwt");
    assertThat(exchange.get("scope")).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
    // every storage request ran as the writer's federated principal and named the app's caller
    assertThat(google.calls())
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.principal()).isEqualTo(google.principalOf(WRITER));
              assertThat(call.userAgent()).contains("triad/" + AzureRuntime.REPLICA_CALLER);
            });
  }

  @Test
  void replica_should_failInWords_when_GoogleRefuses(@TempDir Path work) throws Exception {
    Path file = work.resolve("x.csv");
    Files.writeString(file, "a,b\n");

    // another identity of the tenant: the provider's attribute condition rejects it
    BlobStore stranger =
        AzureRuntime.replicaStores(
                env,
                () ->
                    entra(
                        "00000000-0000-4000-8000-000000000001",
                        AzureContract.TOKEN_EXCHANGE_AUDIENCE))
            .open("gs://" + BUCKET);
    assertThatThrownBy(() -> stranger.put("models/iris/v2/x.csv", file))
        .hasStackTraceContaining("rejected by the attribute condition");

    // a token made out to another resource
    BlobStore wrongAudience =
        AzureRuntime.replicaStores(env, () -> entra(WRITER, "https://storage.azure.com"))
            .open("gs://" + BUCKET);
    assertThatThrownBy(() -> wrongAudience.put("models/iris/v2/x.csv", file))
        .hasStackTraceContaining("does not match the expected audience");

    // the writer, outside what the bucket grants it
    BlobStore writer =
        AzureRuntime.replicaStores(env, () -> entra(WRITER, AzureContract.TOKEN_EXCHANGE_AUDIENCE))
            .open("gs://" + BUCKET);
    assertThatThrownBy(() -> writer.put("models/digits/v2/x.csv", file))
        .hasMessageContaining("does not have storage.objects.create access");
    assertThat(google.object(BUCKET, "models/digits/v2/x.csv")).isNull();
    assertThat(google.object(BUCKET, "models/iris/v2/x.csv")).isNull();
  }

  /** A managed identity that answers with a token carrying Entra's claims for {@code subject}. */
  private TokenCredential entra(String subject, String audience) {
    return request -> {
      asked.add(request.getScopes());
      long now = Instant.now().getEpochSecond();
      String claims =
          "{\"iss\":\""
              + ISSUER
              + "\",\"aud\":\""
              + audience
              + "\",\"sub\":\""
              + subject
              + "\",\"oid\":\""
              + subject
              + "\",\"tid\":\""
              + TENANT
              + "\",\"iat\":"
              + now
              + ",\"exp\":"
              + (now + 3600)
              + "}";
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String token =
          b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString("signature".getBytes(StandardCharsets.UTF_8));
      return Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    };
  }
}
