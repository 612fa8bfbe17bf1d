package io.triad.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test double of Secrets Manager's {@code GetSecretValue} (JSON 1.1 protocol), since no Secrets
 * Manager can run here. It refuses what the service refuses: a request whose SigV4 signature does
 * not check out for its access key, another operation, an unknown secret, and a caller the secret's
 * policy does not name (the IAM decision, made on the access key). Binds 127.0.0.1; close stops it.
 */
public final class SecretsManagerDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final Map<String, String> secretKeys;
  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

  private record Secret(String value, Set<String> readers) {}

  private SecretsManagerDouble(Map<String, String> secretKeys) throws IOException {
    this.secretKeys = Map.copyOf(secretKeys);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts with {@code credentials}: access key id to secret access key. */
  public static SecretsManagerDouble start(Map<String, String> credentials) throws IOException {
    return new SecretsManagerDouble(credentials);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Stores a secret whose resource policy lets {@code readers} (access key ids) read it. */
  public String put(String name, String value, Set<String> readers) {
    String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbCdEf";
    secrets.put(arn, new Secret(value, Set.copyOf(readers)));
    return arn;
  }

  /**
   * Makes a secret with no value yet, as Terraform makes the stack's: GetSecretValue finds no
   * AWSCURRENT version until someone puts one ({@code PutSecretValue}, by name or ARN).
   */
  public String create(String name, Set<String> readers) {
    return put(name, null, readers);
  }

  /** The secret's current value, if it has one. */
  public java.util.Optional<String> value(String name) {
    return secrets.entrySet().stream()
        .filter(e -> e.getKey().endsWith(":secret:" + name + "-AbCdEf"))
        .map(e -> e.getValue().value())
        .filter(java.util.Objects::nonNull)
        .findFirst();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = SigV4.headers(exchange.getRequestHeaders());
      SigV4.Authorization auth;
      try {
        auth = SigV4.Authorization.parse(headers.get("authorization"));
      } catch (AssertionError e) {
        error(exchange, "MissingAuthenticationTokenException", "Missing Authentication Token");
        return;
      }
      String secretKey = secretKeys.get(auth.accessKey());
      if (secretKey == null
          || !auth.service().equals("secretsmanager")
          || !SigV4.expectedSignature(secretKey, auth, "POST", "/", headers, body)
              .equals(auth.signature())) {
        error(
            exchange,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.");
        return;
      }
      JsonNode request = JSON.readTree(body);
      if ("secretsmanager.PutSecretValue".equals(headers.get("x-amz-target"))) {
        putSecretValue(exchange, request);
        return;
      }
      if (!"secretsmanager.GetSecretValue".equals(headers.get("x-amz-target"))) {
        error(exchange, "UnknownOperationException", "");
        return;
      }
      String id = request.path("SecretId").asText();
      Secret secret = secrets.get(id);
      // the secret as the stack's policy names it: secret:NAME (its ARN's random suffix dropped)
      CloudCalls.record(
          "secretsmanager",
          headers.get("user-agent"),
          "secretsmanager:GetSecretValue",
          List.of(
              "secret:" + id.substring(id.lastIndexOf(':') + 1).replaceAll("-[A-Za-z0-9]{6}$", "")),
          secret == null ? 404 : secret.readers().contains(auth.accessKey()) ? 200 : 403);
      if (secret == null) {
        error(
            exchange,
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret.");
        return;
      }
      if (secret.value() == null) {
        error(
            exchange,
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        return;
      }
      if (!secret.readers().contains(auth.accessKey())) {
        error(
            exchange,
            "AccessDeniedException",
            "User: "
                + auth.accessKey()
                + " is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                + id);
        return;
      }
      answer(
          exchange,
          200,
          Map.of(
              "ARN",
              id,
              "Name",
              id.substring(id.lastIndexOf(':') + 1),
              "VersionId",
              "00000000-0000-0000-0000-000000000001",
              "SecretString",
              secret.value(),
              "VersionStages",
              List.of("AWSCURRENT"),
              "CreatedDate",
              1.7e9));
    }
  }

  /** PutSecretValue by name or ARN: the new value becomes AWSCURRENT. */
  private void putSecretValue(HttpExchange exchange, JsonNode request) throws IOException {
    String id = request.path("SecretId").asText();
    String arn =
        secrets.containsKey(id)
            ? id
            : secrets.keySet().stream()
                .filter(key -> key.endsWith(":secret:" + id + "-AbCdEf"))
                .findFirst()
                .orElse(null);
    if (arn == null) {
      error(
          exchange,
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.");
      return;
    }
    if (!request.path("SecretString").isTextual()) {
      error(
          exchange,
          "InvalidParameterException",
          "You must provide either SecretString or SecretBinary.");
      return;
    }
    secrets.computeIfPresent(
        arn, (key, old) -> new Secret(request.path("SecretString").asText(), old.readers()));
    answer(
        exchange,
        200,
        Map.of(
            "ARN",
            arn,
            "Name",
            id.substring(id.lastIndexOf(':') + 1),
            "VersionId",
            UUID.randomUUID().toString(),
            "VersionStages",
            List.of("AWSCURRENT")));
  }

  private static void error(HttpExchange exchange, String type, String message) throws IOException {
    answer(exchange, 400, Map.of("__type", type, "Message", message));
  }

  private static void answer(HttpExchange exchange, int status, Map<String, ?> body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
