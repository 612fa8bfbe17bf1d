package io.triad.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * STS's {@code AssumeRoleWithWebIdentity} on 127.0.0.1 (there is no STS here), deciding as STS
 * documents it, against the roles and OpenID Connect providers of the synthesized AWS stack: the
 * token must be a JWT signed by its issuer's key ({@link GoogleMetadataDouble#publicKey()} stands
 * for Google's, {@link EntraTokenDouble#publicKey()} for a tenant's), from Google's issuer or one
 * the stack registers as a provider listing the token's audience, and not expired ({@code
 * InvalidIdentityToken}, {@code ExpiredTokenException}); the role must exist in the stack under the
 * account; its trust policy must have an Allow statement for the action whose federated principal
 * is the token's provider and whose conditions hold for the token's claims, keyed as AWS documents
 * them (for Google, {@code accounts.google.com:aud} is {@code azp} when the token has one, else
 * {@code aud}; {@code :oaud} is {@code aud}; {@code :sub} is {@code sub}; for a provider, its URL
 * without the scheme before {@code :aud} and {@code :sub}), else {@code AccessDenied}; the session
 * name and duration must be what STS accepts. A session it grants carries the S3 emulator's own
 * key, which the emulator checks signatures with; what the session may do is judged afterwards from
 * the recorded calls ({@link AwsPermissions}).
 */
public final class AwsStsDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}):role/([\\w+=,.@-]{1,64})");
  private static final String GOOGLE = "accounts.google.com";

  /** One request and what was decided. */
  public record Decision(
      String roleArn, String sessionName, String subject, int status, String code) {}

  private final HttpServer server;
  private final JsonNode stack;
  private final Map<String, PublicKey> issuers;
  private final String accessKey;
  private final String secretKey;
  private final Clock clock;
  private final List<Decision> decisions = new CopyOnWriteArrayList<>();

  /**
   * @param stack the synthesized AWS stack ({@code cdk.tf.json}) whose roles and OpenID Connect
   *     providers it knows
   * @param issuers each identity provider's key, by its issuer ({@code iss}): what STS would fetch
   *     from the provider's published keys
   * @param accessKey the key pair each session gets (the S3 emulator's)
   */
  public AwsStsDouble(
      JsonNode stack,
      Map<String, PublicKey> issuers,
      String accessKey,
      String secretKey,
      Clock clock)
      throws IOException {
    this.stack = stack;
    this.issuers = Map.copyOf(issuers);
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The built AWS stack ({@code infra/cdktf.out}), as the permission checks read it. */
  public static JsonNode builtStack() {
    return SuiteCheck.builtStack("aws");
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Decision> decisions() {
    return List.copyOf(decisions);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> form =
          form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (!"POST".equals(exchange.getRequestMethod())
          || !"AssumeRoleWithWebIdentity".equals(form.get("Action"))) {
        error(
            exchange,
            form,
            null,
            400,
            "InvalidAction",
            "Could not find operation " + form.get("Action"));
        return;
      }
      String role = form.get("RoleArn");
      String session = form.get("RoleSessionName");
      String asked = form.getOrDefault("DurationSeconds", "3600");
      // a duration that is no number is refused like one out of range
      int duration = asked.matches("\\d{1,6}") ? Integer.parseInt(asked) : -1;
      if (role == null || session == null || !SESSION_NAME.matcher(session).matches()) {
        error(
            exchange,
            form,
            null,
            400,
            "ValidationError",
            "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
        return;
      }
      Map<String, Object> claims;
      JsonNode provider;
      try {
        claims = verify(form.getOrDefault("WebIdentityToken", ""));
        provider = provider(claims);
      } catch (Rejected e) {
        error(exchange, form, null, 400, "InvalidIdentityToken", e.getMessage());
        return;
      }
      String subject = String.valueOf(claims.get("sub"));
      if (((Number) claims.get("exp")).longValue() <= clock.instant().getEpochSecond()) {
        error(exchange, form, subject, 400, "ExpiredTokenException", "Token expired");
        return;
      }
      // the role must be the stack's and trust this token; then the session must fit the role
      JsonNode roleResource = role(role);
      if (roleResource == null || !trusted(roleResource, claims, provider)) {
        error(
            exchange,
            form,
            subject,
            403,
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        return;
      }
      if (duration < 900 || duration > roleResource.path("max_session_duration").asInt(3600)) {
        error(
            exchange,
            form,
            subject,
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        return;
      }
      decisions.add(new Decision(role, session, subject, 200, null));
      Instant expires = clock.instant().plusSeconds(duration);
      RoleName m = new RoleName(role);
      send(
          exchange,
          200,
          "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
              + "<AssumeRoleWithWebIdentityResult>"
              + "<SubjectFromWebIdentityToken>"
              + subject
              + "</SubjectFromWebIdentityToken>"
              + "<Audience>"
              + claims.get("aud")
              + "</Audience>"
              + "<AssumedRoleUser><Arn>arn:aws:sts::"
              + m.account
              + ":assumed-role/"
              + m.name
              + "/"
              + session
              + "</Arn><AssumedRoleId>AROADOUBLE:"
              + session
              + "</AssumedRoleId></AssumedRoleUser>"
              + "<Credentials><SessionToken>"
              + UUID.randomUUID()
              + "</SessionToken>"
              + "<SecretAccessKey>"
              + secretKey
              + "</SecretAccessKey>"
              + "<Expiration>"
              + expires
              + "</Expiration>"
              + "<AccessKeyId>"
              + accessKey
              + "</AccessKeyId></Credentials>"
              + "<Provider>"
              + (isGoogle(claims.get("iss")) ? GOOGLE : claims.get("iss"))
              + "</Provider>"
              + "</AssumeRoleWithWebIdentityResult>"
              + "<ResponseMetadata><RequestId>"
              + UUID.randomUUID()
              + "</RequestId></ResponseMetadata>"
              + "</AssumeRoleWithWebIdentityResponse>");
    }
  }

  /** The role's resource in the stack, or null when the stack has no such role in its account. */
  private JsonNode role(String arn) {
    java.util.regex.Matcher m = ROLE_ARN.matcher(arn);
    if (!m.matches() || !m.group(1).equals(AwsPermissions.ACCOUNT)) {
      return null;
    }
    for (JsonNode role : stack.at("/resource/aws_iam_role")) {
      if (role.path("name").asText().equals(m.group(2))) {
        return role;
      }
    }
    return null;
  }

  /**
   * Whether the role's trust policy allows this token: an Allow statement for the action whose
   * federated principal is the token's provider ({@code accounts.google.com}, or the stack's OpenID
   * Connect provider for its issuer, by reference or ARN) and whose conditions hold for the claims,
   * keyed as AWS documents them, and no such Deny.
   */
  private static boolean trusted(JsonNode role, Map<String, Object> claims, JsonNode provider)
      throws IOException {
    JsonNode policy = JSON.readTree(role.path("assume_role_policy").asText());
    Map<String, String> context = new HashMap<>();
    List<String> principals = new ArrayList<>();
    if (provider == null) {
      Object azp = claims.get("azp");
      context.put(GOOGLE + ":aud", String.valueOf(azp != null ? azp : claims.get("aud")));
      context.put(GOOGLE + ":oaud", String.valueOf(claims.get("aud")));
      context.put(GOOGLE + ":sub", String.valueOf(claims.get("sub")));
      principals.add(GOOGLE);
    } else {
      String url = provider.path("url").asText().substring("https://".length());
      context.put(url + ":aud", String.valueOf(claims.get("aud")));
      context.put(url + ":sub", String.valueOf(claims.get("sub")));
      principals.add(
          "${aws_iam_openid_connect_provider." + provider.path("name").asText() + ".arn}");
      principals.add("arn:aws:iam::" + AwsPermissions.ACCOUNT + ":oidc-provider/" + url);
    }
    boolean allowed = false;
    for (JsonNode s : policy.path("Statement")) {
      boolean federated =
          texts(s.at("/Principal/Federated")).stream().anyMatch(principals::contains);
      boolean action = texts(s.path("Action")).contains("sts:AssumeRoleWithWebIdentity");
      if (federated && action && IamPolicy.conditionHolds(s.path("Condition"), context)) {
        if (s.path("Effect").asText().equals("Deny")) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  private static boolean isGoogle(Object iss) {
    return GoogleMetadataDouble.ISSUER.equals(iss) || GOOGLE.equals(iss);
  }

  /**
   * The stack's OpenID Connect provider for the token's issuer (its resource, with its name under
   * {@code name}), or null for Google's, which IAM knows without one; refused as STS refuses a
   * token of an issuer the account has no provider for, or for an audience the provider does not
   * list.
   */
  private JsonNode provider(Map<String, Object> claims) {
    Object iss = claims.get("iss");
    if (isGoogle(iss)) {
      return null;
    }
    for (Map.Entry<String, JsonNode> p :
        stack.at("/resource/aws_iam_openid_connect_provider").properties()) {
      if (p.getValue().path("url").asText().equals(iss)) {
        if (!texts(p.getValue().path("client_id_list"))
            .contains(String.valueOf(claims.get("aud")))) {
          throw new Rejected("Incorrect token audience");
        }
        com.fasterxml.jackson.databind.node.ObjectNode named = p.getValue().deepCopy();
        named.put("name", p.getKey());
        return named;
      }
    }
    throw new Rejected("No OpenIDConnect provider found in your account for " + iss);
  }

  /** Why STS will not take a token, in its words. */
  private static final class Rejected extends RuntimeException {
    Rejected(String message) {
      super(message);
    }
  }

  private static final String UNVERIFIABLE =
      "The web identity token that was passed could not be validated by AWS. Get a new identity"
          + " token from the identity provider and then retry the request.";

  /** The claims of a token signed with the issuer's key by Google's issuer; else why not. */
  private Map<String, Object> verify(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      throw new Rejected(UNVERIFIABLE);
    }
    Map<String, Object> claims;
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(b64.decode(parts[0]));
      Object iss = JSON.readTree(b64.decode(parts[1])).path("iss").asText();
      PublicKey key = issuers.get(isGoogle(iss) ? GoogleMetadataDouble.ISSUER : iss);
      if (key == null) {
        // no provider in the account for it, or none whose keys STS could fetch
        throw new Rejected("No OpenIDConnect provider found in your account for " + iss);
      }
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!header.path("alg").asText().equals("RS256") || !rsa.verify(b64.decode(parts[2]))) {
        throw new Rejected(UNVERIFIABLE);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> read = JSON.readValue(b64.decode(parts[1]), Map.class);
      claims = read;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new Rejected(UNVERIFIABLE);
    }
    if (!(claims.get("exp") instanceof Number)) {
      throw new Rejected(UNVERIFIABLE);
    }
    return claims;
  }

  private void error(
      HttpExchange exchange,
      Map<String, String> form,
      String subject,
      int status,
      String code,
      String message)
      throws IOException {
    decisions.add(
        new Decision(form.get("RoleArn"), form.get("RoleSessionName"), subject, status, code));
    send(exchange, status, errorXml(code, message));
  }

  /** STS's answer to a request it refuses, in its XML. */
  static String errorXml(String code, String message) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
        + "<Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error>"
        + "<RequestId>"
        + UUID.randomUUID()
        + "</RequestId></ErrorResponse>";
  }

  static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** An {@code application/x-www-form-urlencoded} body's fields. */
  static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String part : body.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode()) {
      out.add(node.asText());
    }
    return out;
  }

  /** A role ARN's account and name. */
  private static final class RoleName {
    final String account;
    final String name;

    RoleName(String arn) {
      java.util.regex.Matcher m = ROLE_ARN.matcher(arn);
      if (!m.matches()) {
        throw new IllegalArgumentException(arn);
      }
      account = m.group(1);
      name = m.group(2);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
