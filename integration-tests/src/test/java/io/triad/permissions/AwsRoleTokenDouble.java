package io.triad.permissions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triad.aws.testing.CloudCalls;
import io.triad.aws.testing.SigV4;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS STS's {@code GetWebIdentityToken} (IAM outbound identity federation) on 127.0.0.1, since AWS
 * STS does not run here: a request must be signed (SigV4, for STS in this region) by a key it
 * knows, which stands for a role's session; it must name one to ten audiences, {@code RS256} (the
 * one algorithm this double signs with; AWS also offers ES384) and a duration of 60 to 3600 seconds
 * (300 by default). The token is a JWT as AWS documents it: the account's issuer, the role's ARN as
 * {@code sub}, the audience, its lifetime, and the account and region under {@code
 * https://sts.amazonaws.com/}; signed with a key whose public half stands for the issuer's
 * published keys. With no issuer (outbound federation off) every request is refused as AWS refuses
 * it. Each call is recorded with its audience, for the IAM check of the role's policy.
 */
public final class AwsRoleTokenDouble implements AutoCloseable {
  private final HttpServer server;
  private final TokenSigner key = new TokenSigner();
  private final String issuer;
  private final String region;
  private final Map<String, String> secrets;
  private final Map<String, String> roles;
  private final Clock clock;
  private final List<String> refusals = new CopyOnWriteArrayList<>();

  /**
   * @param issuer the account's issuer, or null when outbound identity federation is off
   * @param keys each access key it knows: its secret key and the role ARN it is a session of
   */
  public AwsRoleTokenDouble(
      String issuer, String region, Map<String, Map.Entry<String, String>> keys, Clock clock)
      throws IOException {
    this.issuer = issuer;
    this.region = region;
    this.secrets = new LinkedHashMap<>();
    this.roles = new LinkedHashMap<>();
    keys.forEach(
        (access, pair) -> {
          secrets.put(access, pair.getKey());
          roles.put(access, pair.getValue());
        });
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The key the tokens are signed with, as the issuer's published keys give it. */
  public PublicKey publicKey() {
    return key.publicKey();
  }

  /** What it refused, in AWS's words. */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = SigV4.headers(exchange.getRequestHeaders());
      Map<String, String> form = AwsStsDouble.form(new String(body, StandardCharsets.UTF_8));
      if (!"POST".equals(exchange.getRequestMethod())
          || !"GetWebIdentityToken".equals(form.get("Action"))) {
        refuse(exchange, 400, "InvalidAction", "Could not find operation " + form.get("Action"));
        return;
      }
      if (!SigV4.verifies(
          secrets, "sts", region, "POST", exchange.getRequestURI().getRawPath(), headers, body)) {
        refuse(
            exchange,
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.");
        return;
      }
      String role = roles.get(SigV4.Authorization.parse(headers.get("authorization")).accessKey());
      if (issuer == null) {
        refuse(
            exchange,
            403,
            "OutboundWebIdentityFederationDisabledException",
            "Outbound web identity federation is disabled for this account");
        return;
      }
      List<String> audiences = new ArrayList<>();
      for (int i = 1; form.containsKey("Audience.member." + i); i++) {
        audiences.add(form.get("Audience.member." + i));
      }
      String algorithm = form.getOrDefault("SigningAlgorithm", "");
      String asked = form.getOrDefault("DurationSeconds", "300");
      int duration = asked.matches("\\d{1,5}") ? Integer.parseInt(asked) : -1;
      if (audiences.isEmpty() || audiences.size() > 10) {
        refuse(exchange, 400, "ValidationError", "Audience must have 1 to 10 members");
        return;
      }
      if (!algorithm.equals("RS256")) {
        refuse(
            exchange,
            400,
            "ValidationError",
            "SigningAlgorithm " + algorithm + " (this double signs RS256 only; AWS: RS256, ES384)");
        return;
      }
      if (duration < 60 || duration > 3600) {
        refuse(exchange, 400, "ValidationError", "DurationSeconds must be 60 to 3600");
        return;
      }
      Instant now = clock.instant();
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", issuer);
      claims.put("aud", audiences.size() == 1 ? audiences.get(0) : audiences);
      claims.put("sub", role);
      claims.put("iat", now.getEpochSecond());
      claims.put("exp", now.getEpochSecond() + duration);
      claims.put("jti", UUID.randomUUID().toString());
      claims.put(
          "https://sts.amazonaws.com/",
          Map.of("aws_account", role.split(":")[4], "source_region", region));
      String token = key.sign(claims);
      CloudCalls.record(
          "sts",
          headers.get("user-agent"),
          "sts:GetWebIdentityToken",
          List.of("*"),
          200,
          Map.of(
              "sts:IdentityTokenAudience", audiences.get(0),
              "sts:SigningAlgorithm", algorithm,
              "sts:DurationSeconds", String.valueOf(duration)));
      AwsStsDouble.send(
          exchange,
          200,
          "<GetWebIdentityTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
              + "<GetWebIdentityTokenResult><WebIdentityToken>"
              + token
              + "</WebIdentityToken><Expiration>"
              + now.plusSeconds(duration)
              + "</Expiration></GetWebIdentityTokenResult><ResponseMetadata><RequestId>"
              + UUID.randomUUID()
              + "</RequestId></ResponseMetadata></GetWebIdentityTokenResponse>");
    }
  }

  private void refuse(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    refusals.add(code + ": " + message);
    AwsStsDouble.send(exchange, status, AwsStsDouble.errorXml(code, message));
  }
}
