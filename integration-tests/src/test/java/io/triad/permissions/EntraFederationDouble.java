package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.triad.gcs.testing.LoopbackTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entra's token endpoint for one user-assigned identity with federated credentials, on 127.0.0.1
 * over HTTPS (MSAL takes no other authority): a client-credentials request whose client assertion
 * is another issuer's token gets the identity's token for Storage when a federated credential of
 * the identity names that token's issuer, subject and audience, as Entra documents the exchange.
 * Otherwise it answers as Entra does: an unknown client id ({@code AADSTS700016}), an assertion
 * with no matching federated credential ({@code AADSTS70021}), a bad signature ({@code
 * AADSTS700024}-like), an expired assertion. No Entra runs here: a test double, and its key stands
 * for the tenant's; the assertion's signature is checked with the issuer's key the test gives. The
 * Storage token it mints carries what Azurite's OAuth mode checks (Storage's audience, the tenant's
 * version 1.0 issuer, its lifetime) and the identity's object id.
 */
public final class EntraFederationDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STORAGE = "https://storage.azure.com";

  /** A federated credential as the Azure stack declares it. */
  public record Credential(String issuer, String subject, String audience) {}

  /** One token request and what was answered: the subject presented, and the HTTP status. */
  public record Decision(String clientId, String subject, String scope, int status, String error) {}

  private final HttpsServer server;
  private final String tenant;
  private final String clientId;
  private final String objectId;
  private final List<Credential> credentials;
  private final Map<String, PublicKey> issuerKeys;
  private final Clock clock;
  private final TokenSigner key = new TokenSigner();
  private final List<Decision> decisions = Collections.synchronizedList(new ArrayList<>());
  private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param clientId the identity's client id (what the other stack is configured with)
   * @param objectId the identity's object (principal) id, which its Storage tokens carry
   * @param credentials the identity's federated credentials
   * @param issuerKeys each trusted issuer's signing key (its published keys, to Entra)
   */
  public EntraFederationDouble(
      LoopbackTls tls,
      String tenant,
      String clientId,
      String objectId,
      List<Credential> credentials,
      Map<String, PublicKey> issuerKeys,
      Clock clock)
      throws IOException {
    this.tenant = tenant;
    this.clientId = clientId;
    this.objectId = objectId;
    this.credentials = List.copyOf(credentials);
    this.issuerKeys = Map.copyOf(issuerKeys);
    this.clock = clock;
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The authority host, as azure-identity takes it ({@code https://127.0.0.1:PORT/}). */
  public URI authority() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  public List<Decision> decisions() {
    synchronized (decisions) {
      return List.copyOf(decisions);
    }
  }

  /** Requests the double does not answer (a client asking what Entra would serve elsewhere). */
  public List<String> unexpected() {
    synchronized (unexpected) {
      return List.copyOf(unexpected);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A Storage token for the identity, as Entra would mint it (for the test's own client too). */
  public String storageToken() {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", STORAGE);
    claims.put("iss", "https://sts.windows.net/" + tenant + "/");
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + Duration.ofHours(1).toSeconds());
    claims.put("appid", clientId);
    claims.put("oid", objectId);
    claims.put("sub", objectId);
    claims.put("tid", tenant);
    claims.put("ver", "1.0");
    return key.sign(claims);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!"POST".equals(exchange.getRequestMethod())
          || !path.equals("/" + tenant + "/oauth2/v2.0/token")) {
        unexpected.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        error(exchange, 404, "invalid_request", "AADSTS90002: no such endpoint " + path, null);
        return;
      }
      Map<String, String> form =
          AwsStsDouble.form(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String requested = form.get("client_id");
      String scope = form.getOrDefault("scope", "");
      if (!"client_credentials".equals(form.get("grant_type"))
          || !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
              .equals(form.get("client_assertion_type"))) {
        error(exchange, 400, "invalid_request", "AADSTS900144: grant or assertion type", null);
        return;
      }
      if (!clientId.equals(requested)) {
        error(
            exchange,
            400,
            "unauthorized_client",
            "AADSTS700016: Application with identifier '"
                + requested
                + "' was not found in the directory '"
                + tenant
                + "'.",
            null);
        return;
      }
      if (!scope.split(" ")[0].equals(STORAGE + "/.default")) {
        error(
            exchange,
            400,
            "invalid_scope",
            "AADSTS70011: the scope " + scope + " is not valid",
            null);
        return;
      }
      String assertion = form.getOrDefault("client_assertion", "");
      JsonNode claims = claims(assertion);
      if (claims == null) {
        error(
            exchange,
            400,
            "invalid_client",
            "AADSTS50027: JWT token is invalid or malformed.",
            null);
        return;
      }
      String issuer = claims.path("iss").asText();
      String subject = claims.path("sub").asText();
      String audience = claims.path("aud").asText();
      PublicKey issuerKey = issuerKeys.get(issuer);
      if (issuerKey == null || !TokenSigner.verifies(issuerKey, assertion)) {
        error(
            exchange,
            400,
            "invalid_client",
            "AADSTS700024: Client assertion is not within its valid signature.",
            subject);
        return;
      }
      if (claims.path("exp").asLong() < clock.instant().getEpochSecond()) {
        error(
            exchange, 400, "invalid_client", "AADSTS700024: Client assertion is expired.", subject);
        return;
      }
      if (credentials.stream()
          .noneMatch(
              c ->
                  c.issuer().equals(issuer)
                      && c.subject().equals(subject)
                      && c.audience().equals(audience))) {
        error(
            exchange,
            400,
            "invalid_client",
            "AADSTS70021: No matching federated identity record found for presented assertion."
                + " Assertion Issuer: '"
                + issuer
                + "'. Assertion Subject: '"
                + subject
                + "'. Assertion Audience: '"
                + audience
                + "'.",
            subject);
        return;
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("token_type", "Bearer");
      answer.put("expires_in", 3599);
      answer.put("ext_expires_in", 3599);
      answer.put("access_token", storageToken());
      decisions.add(new Decision(requested, subject, scope, 200, null));
      send(exchange, 200, JSON.writeValueAsBytes(answer));
    }
  }

  private void error(
      HttpExchange exchange, int status, String error, String description, String subject)
      throws IOException {
    decisions.add(
        new Decision(
            null, subject, null, status, description.substring(0, description.indexOf(':'))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    body.put("error_codes", List.of());
    send(exchange, status, JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static JsonNode claims(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The set of subjects the credentials trust, for the tests' own checks. */
  public Set<String> subjects() {
    Set<String> subjects = new java.util.TreeSet<>();
    credentials.forEach(c -> subjects.add(c.subject()));
    return subjects;
  }
}
