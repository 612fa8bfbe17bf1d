package io.triad.permissions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata server's identity endpoint as a Cloud Function reaches it ({@code
 * /computeMetadata/v1/instance/service-accounts/default/identity}), on 127.0.0.1: there is none
 * here. It answers as the real one does: only with {@code Metadata-Flavor: Google}, only with an
 * audience, a JWT signed RS256 whose {@code iss} is Google's, {@code aud} the audience, {@code azp}
 * and {@code sub} the service account's unique id, valid an hour. Its key stands for Google's
 * published signing keys: {@link AwsStsDouble} checks signatures with {@link #publicKey()}.
 */
public final class GoogleMetadataDouble implements AutoCloseable {
  public static final String ISSUER = "https://accounts.google.com";

  private final HttpServer server;
  private final TokenSigner key = new TokenSigner();
  private final String uniqueId;
  private final String email;
  private final Clock clock;

  /**
   * @param uniqueId the unique id of the service account the function runs as
   * @param email its address
   */
  public GoogleMetadataDouble(String uniqueId, String email, Clock clock) throws IOException {
    this.uniqueId = uniqueId;
    this.email = email;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/computeMetadata/v1/instance/service-accounts/default/identity", this::identity);
    server.start();
  }

  /** {@code host:port}, as {@code GCE_METADATA_HOST} takes it. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public PublicKey publicKey() {
    return key.publicKey();
  }

  /** A token as this server signs it, with the claims given (for the tests of its receivers). */
  public String sign(Map<String, Object> claims) {
    return key.sign(claims);
  }

  /** The claims the server puts in a token for {@code audience}, issued now. */
  public Map<String, Object> claims(String audience) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", audience);
    claims.put("azp", uniqueId);
    claims.put("sub", uniqueId);
    claims.put("email", email);
    claims.put("email_verified", true);
    claims.put("iat", now);
    claims.put("exp", now + Duration.ofHours(1).toSeconds());
    return claims;
  }

  private void identity(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"))) {
        send(exchange, 403, "Missing required header \"Metadata-Flavor\": \"Google\"");
        return;
      }
      String audience = null;
      String query = exchange.getRequestURI().getRawQuery();
      for (String part : query == null ? new String[0] : query.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.substring(0, eq).equals("audience")) {
          audience = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      if (audience == null || audience.isEmpty()) {
        send(exchange, 400, "non-empty audience parameter required");
        return;
      }
      send(exchange, 200, sign(claims(audience)));
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
