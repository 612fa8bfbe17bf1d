package io.triad.gcp;

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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The objects function reads its signing key over Secret Manager's REST API. No Secret Manager can
 * run here, so a double on 127.0.0.1 answers {@code versions.access} as the service documents it:
 * 401 without a token, 403 for an account without {@code secretAccessor}, 404 for a version that
 * does not exist, and the payload Base64 with its CRC32C.
 */
class SecretManagerKeySourceTest {
  private static final String SECRET = "projects/triad-demo-project/secrets/triad-signing-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer server;
  private final Map<String, Set<String>> accessors =
      Map.of(SECRET + "/versions/latest", Set.of("objects-token"));
  private boolean damage;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::access);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void access(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String version = path.replaceFirst("^/v1/", "").replaceFirst(":access$", "");
      if (!exchange.getRequestMethod().equals("GET") || !path.endsWith(":access")) {
        answer(exchange, 404, error(404, "NOT_FOUND", "Method not found."));
      } else if (auth == null || !auth.startsWith("Bearer ")) {
        answer(exchange, 401, error(401, "UNAUTHENTICATED", "Request is missing credentials."));
      } else if (!accessors.containsKey(version)) {
        answer(
            exchange,
            404,
            error(404, "NOT_FOUND", "Secret [" + version + "] not found or has no versions."));
      } else if (!accessors.get(version).contains(auth.substring(7))) {
        answer(
            exchange,
            403,
            error(
                403,
                "PERMISSION_DENIED",
                "Permission 'secretmanager.versions.access' denied for resource '"
                    + version
                    + "' (or it may not exist)."));
      } else {
        byte[] data = TestModels.SIGNING_KEY.getBytes(StandardCharsets.US_ASCII);
        CRC32C crc = new CRC32C();
        crc.update(data);
        long sent = damage ? crc.getValue() + 1 : crc.getValue();
        answer(
            exchange,
            200,
            Map.of(
                "name",
                SECRET.replace("triad-demo-project", "123456") + "/versions/1",
                "payload",
                Map.of(
                    "data",
                    Base64.getEncoder().encodeToString(data),
                    "dataCrc32c",
                    Long.toString(sent))));
      }
    }
  }

  private static Map<String, Object> error(int code, String status, String message) {
    return Map.of("error", Map.of("code", code, "message", message, "status", status));
  }

  private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private SecretManagerKeySource source(String token) {
    URI root = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    return new SecretManagerKeySource(root, () -> token);
  }

  @Test
  void read_shouldReturnTheKey_whenThisAccountIsAnAccessor() throws Exception {
    String key = source("objects-token").read(SECRET + "/versions/latest");

    assertThat(PackageSigner.fromText(key).keyId()).isEqualTo(TestModels.signer().keyId());
  }

  @Test
  void read_shouldRefuseWithReason_whenAnotherAccountAsks() {
    assertThatThrownBy(() -> source("http-token").read(SECRET + "/versions/latest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("denied");
  }

  @Test
  void read_shouldSayWhatToDo_whenTheSecretHasNoVersion() {
    assertThatThrownBy(() -> source("objects-token").read(SECRET + "/versions/7"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add the signing key");
  }

  @Test
  void read_shouldFailTransiently_whenThePayloadArrivesDamaged() {
    damage = true;

    assertThatThrownBy(() -> source("objects-token").read(SECRET + "/versions/latest"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("CRC32C");
  }

  @Test
  void read_shouldRefuse_whenTheLocationIsNotASecretVersion() {
    assertThatThrownBy(() -> source("objects-token").read("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
