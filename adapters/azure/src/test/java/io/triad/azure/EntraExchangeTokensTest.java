package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import io.triad.settings.AzureContract;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import reactor.core.publisher.Mono;

/**
 * What the app asks its managed identity for when it assumes the AWS replica role: a token for
 * Entra's token exchange, and a refusal or a token that is no JWT failing in words. The credential
 * is a recording stand-in: what a managed identity endpoint answers is azure-identity's concern,
 * and no such endpoint runs here.
 */
class EntraExchangeTokensTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/triad-azure-replicas";
  private final List<List<String>> asked = new CopyOnWriteArrayList<>();

  private TokenCredential answering(String token) {
    return request -> {
      asked.add(request.getScopes());
      return Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    };
  }

  @Test
  void token_should_beAskedForEntrasTokenExchange() {
    String token = new EntraExchangeTokens(() -> answering("aGVhZA.Ym9keQ.c2ln")).get();

    assertThat(token).isEqualTo("aGVhZA.Ym9keQ.c2ln");
    assertThat(asked).containsExactly(List.of("api://AzureADTokenExchange/.default"));
    assertThat(AzureContract.TOKEN_EXCHANGE_AUDIENCE).isEqualTo("api://AzureADTokenExchange");
  }

  @Test
  void refusalOrNonsense_should_failInWords() {
    TokenCredential refusing =
        request ->
            Mono.error(
                new ClientAuthenticationException(
                    "ManagedIdentityCredential authentication unavailable.\nConnection refused",
                    null));
    assertThatThrownBy(() -> new EntraExchangeTokens(() -> refusing).get())
        .hasMessage(
            "the managed identity gave no token for Entra's token exchange"
                + " (ManagedIdentityCredential authentication unavailable.)");

    assertThatThrownBy(() -> new EntraExchangeTokens(() -> answering("<html>")).get())
        .hasMessage(
            "the managed identity answered something that is no JWT for Entra's token exchange");
  }

  @Test
  void s3Replica_should_beRefusedInWords_when_theStackGaveNoRole() {
    MockEnvironment env = new MockEnvironment();

    assertThatThrownBy(
            () -> AzureRuntime.replicaStores(env, () -> answering("a.b.c")).open("s3://bucket"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(AzureContract.REPLICA_AWS_ROLE);
    env.setProperty(AzureContract.REPLICA_AWS_ROLE, ROLE);
    env.setProperty(AzureContract.REPLICA_AWS_REGION, "eu-west-1");
    assertThatThrownBy(
            () ->
                AzureRuntime.replicaStores(env, () -> answering("a.b.c"))
                    .open("s3://bucket/folder"))
        .hasMessage("expected s3://bucket, got s3://bucket/folder");
    // no token is asked for until a copy needs the session
    assertThat(asked).isEmpty();
  }

  @Test
  void gsReplica_should_beRefusedInWords_when_theStackGaveNoProvider() {
    MockEnvironment env = new MockEnvironment();

    assertThatThrownBy(
            () -> AzureRuntime.replicaStores(env, () -> answering("a.b.c")).open("gs://bucket"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(AzureContract.REPLICA_GCP_AUDIENCE);
    env.setProperty(AzureContract.REPLICA_GCP_AUDIENCE, "projects/1/pools/x");
    assertThatThrownBy(
            () -> AzureRuntime.replicaStores(env, () -> answering("a.b.c")).open("gs://bucket"))
        .hasMessageStartingWith("expected a workload identity provider such as");
    env.setProperty(
        AzureContract.REPLICA_GCP_AUDIENCE,
        "//iam.googleapis.com/projects/314159265358/locations/global/workloadIdentityPools/"
            + "triad-replicas/providers/azure");
    assertThatThrownBy(
            () ->
                AzureRuntime.replicaStores(env, () -> answering("a.b.c"))
                    .open("gs://bucket/folder"))
        .hasMessage("expected gs://bucket, got gs://bucket/folder");
    // the opening itself asks for no token: the first request does
    assertThat(AzureRuntime.replicaStores(env, () -> answering("a.b.c")).open("gs://bucket").uri())
        .isEqualTo("gs://bucket");
    assertThat(asked).isEmpty();
  }
}
