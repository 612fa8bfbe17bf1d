package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.testing.TestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The events app reads its signing key over Key Vault's REST API. No Key Vault can run here, so a
 * double on 127.0.0.1 answers Get Secret as the service documents it: 401 without a bearer token,
 * 403 (ForbiddenByRbac) for an identity without a role on the vault, 404 SecretNotFound, and the
 * api-version it requires.
 */
class KeyVaultKeySourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer server;
  private final Map<String, Set<String>> readers =
      Map.of("/secrets/signing-key", Set.of("events-app-token"));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::getSecret);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void getSecret(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getQuery();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (query == null || !query.startsWith("api-version=")) {
        answer(exchange, 400, error("MissingApiVersionParameter", "The api-version is missing."));
      } else if (auth == null || !auth.startsWith("Bearer ")) {
        answer(exchange, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer."));
      } else if (!readers.containsKey(path)) {
        answer(
            exchange,
            404,
            error(
                "SecretNotFound",
                "A secret with (name/id) "
                    + path.substring(9)
                    + " was not found in this key vault."));
      } else if (!readers.get(path).contains(auth.substring(7))) {
        answer(
            exchange,
            403,
            error(
                "Forbidden",
                "Caller is not authorized to perform action on resource. Action:"
                    + " 'Microsoft.KeyVault/vaults/secrets/getSecret/action'"));
      } else {
        answer(
            exchange,
            200,
            Map.of(
                "value",
                TestModels.SIGNING_KEY,
                "id",
                "https://triad-keys.vault.azure.net" + path + "/0123456789abcdef0123456789abcdef",
                "attributes",
                Map.of("enabled", true)));
      }
    }
  }

  private static Map<String, Object> error(String code, String message) {
    return Map.of("error", Map.of("code", code, "message", message));
  }

  private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/secrets/" + name;
  }

  @Test
  void read_shouldReturnTheKey_whenTheIdentityMayReadTheVault() throws Exception {
    String key = new KeyVaultKeySource(() -> "events-app-token").read(url("signing-key"));

    assertThat(PackageSigner.fromText(key).keyId()).isEqualTo(TestModels.signer().keyId());
  }

  @Test
  void read_shouldRefuseWithReason_whenTheServingAppAsks() {
    assertThatThrownBy(
            () -> new KeyVaultKeySource(() -> "serve-app-token").read(url("signing-key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not authorized");
  }

  @Test
  void read_shouldSayWhatToDo_whenTheSecretDoesNotExist() {
    assertThatThrownBy(() -> new KeyVaultKeySource(() -> "events-app-token").read(url("other")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("put the signing key in it");
  }

  @Test
  void read_shouldRefuse_whenTheLocationIsNotAVaultSecretOverHttps() {
    KeyVaultKeySource source = new KeyVaultKeySource(() -> "events-app-token");

    assertThatThrownBy(() -> source.read("http://example.org/secrets/signing-key"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> source.read("https://x.vault.azure.net/keys/signing-key"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
