package io.triad.gcs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Security Token Service and Cloud Storage's JSON API, on 127.0.0.1, for the one thing
 * another cloud's functions do with them: exchange an OpenID Connect token for a federated access
 * token at a workload identity provider, then read and write objects with it. A test double, since
 * neither service runs here (no Cloud Storage emulator speaks HTTP without Docker); it refuses what
 * they refuse, as Google documents it: a token exchange with another audience than the provider's
 * full name ({@code invalid_target}), a subject token from another issuer or for another audience
 * ({@code invalid_grant}), or one the provider's attribute condition rejects ({@code
 * unauthorized_client}); for an AWS provider, a subject token that is not a serialized {@code
 * GetCallerIdentity} request for this provider ({@code invalid_grant}), one AWS STS does not answer
 * (its refusal, passed on), or a caller of another account or role ({@code unauthorized_client}); a
 * storage request without a token the exchange gave (401), or for an object the token's principal
 * is not granted (403); a create whose {@code ifGenerationMatch=0} finds the object (412). The
 * subject token's signature is not checked here (the integration tests' doubles check signatures);
 * its claims are.
 *
 * <p>Uploads are the JSON API's three kinds (media, multipart, resumable in one or more chunks);
 * reads are metadata and {@code alt=media}, with a {@code Range}. Every request is recorded with
 * the principal it ran as and its User-Agent.
 */
public final class GoogleFederationDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An object's metadata, or its bytes ({@code alt=media}, also under {@code /download}). */
  private static final Pattern OBJECT =
      Pattern.compile("(?:/download)?/storage/v1/b/([^/]+)/o/(.+)");

  private static final Pattern UPLOAD = Pattern.compile("/upload/storage/v1/b/([^/]+)/o");

  /**
   * What the provider trusts: its full name, issuer, audience, and the subjects its condition
   * admits.
   */
  public record Provider(String name, String issuer, String audience, Set<String> subjects)
      implements Trust {}

  /** A workload identity provider: what the token exchange's {@code audience} names. */
  public sealed interface Trust permits Provider, AwsProvider {
    String name();
  }

  /**
   * An AWS provider: its full name, the account it trusts, the attribute condition's roles (the
   * role name as {@code assertion.arn.extract('assumed-role/{role}/')} maps it to {@code
   * attribute.aws_role}), and AWS STS, which Google asks who signed the request.
   */
  public record AwsProvider(String name, String account, Set<String> roles, AwsSts sts)
      implements Trust {}

  /**
   * AWS STS's answer to the signed {@code GetCallerIdentity} request Google forwards: the caller's
   * ARN, or AWS's refusal.
   */
  @FunctionalInterface
  public interface AwsSts {
    /**
     * @param headers the signed request's headers, by lower-case name
     * @return the caller's ARN
     * @throws IllegalArgumentException with AWS's message, where AWS refuses the request
     */
    String callerArn(String method, URI url, Map<String, String> headers);
  }

  /** The subject token type of a serialized, signed AWS {@code GetCallerIdentity} request. */
  public static final String AWS4_REQUEST = "urn:ietf:params:aws:token-type:aws4_request";

  /**
   * One recorded request: who made it, as which principal, what it asked, and whether it replaced
   * an object (which Cloud Storage authorizes as a delete too).
   */
  public record Call(
      String method,
      String path,
      String principal,
      String userAgent,
      int status,
      boolean replaced) {}

  private record Stored(
      byte[] bytes,
      long generation,
      String contentType,
      Map<String, String> metadata,
      Instant updated) {}

  private record Upload(
      String bucket,
      String name,
      ObjectNode resource,
      java.io.ByteArrayOutputStream bytes,
      String principal,
      Long ifGenerationMatch) {}

  /** The exchange attribute that marks a write that replaced an object. */
  private static final String REPLACED = "triad.replaced";

  private final HttpServer server;
  private final com.sun.net.httpserver.HttpsServer sts;
  private final LoopbackTls tls;
  private final Trust provider;
  private final Grants grants;
  private final java.util.function.Predicate<String> signed;
  private final Map<String, String> principals = new ConcurrentHashMap<>();

  /** The principal sets each principal belongs to (for AWS, its role's), with itself. */
  private final Map<String, List<String>> members = new ConcurrentHashMap<>();

  private final Map<String, Stored> objects = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<Map<String, String>> exchanges =
      Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
  private final AtomicLong ids = new AtomicLong();

  /** The bucket's IAM: whether a principal holds a permission on an object. */
  @FunctionalInterface
  public interface Grants {
    /**
     * @param principal {@code principal://…/subject/SUB}
     * @param permission {@code storage.objects.get}, {@code .create} or {@code .delete}
     * @param object {@code bucket/name}
     */
    boolean allow(String principal, String permission, String object);
  }

  /** A double that checks the subject token's claims but not its signature. */
  public GoogleFederationDouble(Provider provider, Grants grants) throws IOException {
    this(provider, grants, token -> true);
  }

  /**
   * @param signed whether a subject token's signature is the issuer's (its published keys)
   */
  public GoogleFederationDouble(
      Provider provider, Grants grants, java.util.function.Predicate<String> signed)
      throws IOException {
    this((Trust) provider, grants, signed);
  }

  /** A double whose provider trusts an AWS account: AWS STS vouches for each request's signer. */
  public GoogleFederationDouble(AwsProvider provider, Grants grants) throws IOException {
    this(provider, grants, token -> true);
  }

  private GoogleFederationDouble(
      Trust provider, Grants grants, java.util.function.Predicate<String> signed)
      throws IOException {
    this.provider = provider;
    this.grants = grants;
    this.signed = signed;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // Google's auth library takes a token exchange over HTTPS only: a certificate for 127.0.0.1,
    // made by the JDK's keytool for this run
    this.tls = LoopbackTls.shared();
    this.sts =
        com.sun.net.httpserver.HttpsServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sts.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls.context()));
    sts.createContext("/", this::handle);
    server.start();
    sts.start();
  }

  /** The token exchange's address (HTTPS, with a certificate only {@link #trust} trusts). */
  public URI sts() {
    return URI.create("https://127.0.0.1:" + sts.getAddress().getPort() + "/v1/token");
  }

  /**
   * Makes the JVM's HTTPS connections trust this double's certificate (and no other) until the
   * returned handle is closed: the auth library's transport uses the default socket factory.
   */
  public AutoCloseable trust() throws java.security.GeneralSecurityException {
    return tls.trustedByDefault();
  }

  /** Cloud Storage's address. */
  public URI storage() {
    return URI.create(base());
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The federated principal a subject maps to (the provider's {@code google.subject}). */
  public String principalOf(String subject) {
    return "principal://iam.googleapis.com/" + pool() + "/subject/" + subject;
  }

  /** The principal set of every caller whose mapped {@code attribute.NAME} is {@code value}. */
  public String principalSetOf(String attribute, String value) {
    return "principalSet://iam.googleapis.com/" + pool() + "/attribute." + attribute + "/" + value;
  }

  private String pool() {
    String pool = provider.name().substring("//iam.googleapis.com/".length());
    return pool.substring(0, pool.indexOf("/providers/"));
  }

  /** Whether any grant to the principal, or to a principal set it belongs to, allows this. */
  private boolean allowed(String principal, String permission, String object) {
    return members.getOrDefault(principal, List.of(principal)).stream()
        .anyMatch(member -> grants.allow(member, permission, object));
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Each token exchange's form, as it was posted. */
  public List<Map<String, String>> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  /** An object's bytes, or null. */
  public byte[] object(String bucket, String name) {
    Stored stored = objects.get(bucket + "/" + name);
    return stored == null ? null : stored.bytes().clone();
  }

  @Override
  public void close() {
    server.stop(0);
    sts.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/v1/token")) {
        tokenExchange(exchange);
        return;
      }
      String principal = principalOf(exchange);
      int status;
      if (principal == null) {
        status = error(exchange, 401, "Invalid Credentials");
      } else {
        status = storage(exchange, principal);
      }
      calls.add(
          new Call(
              exchange.getRequestMethod(),
              path,
              principal,
              exchange.getRequestHeaders().getFirst("User-Agent"),
              status,
              Boolean.TRUE.equals(exchange.getAttribute(REPLACED))));
    } catch (RuntimeException e) {
      // the test sees the failure through the client; the double says what it did not expect
      System.err.println("GoogleFederationDouble: " + e);
      throw e;
    }
  }

  private void tokenExchange(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    exchanges.add(form);
    if (!"POST".equals(exchange.getRequestMethod())
        || !"urn:ietf:params:oauth:grant-type:token-exchange".equals(form.get("grant_type"))
        || !"urn:ietf:params:oauth:token-type:access_token"
            .equals(form.get("requested_token_type"))) {
      oauthError(
          exchange,
          "invalid_request",
          "Invalid value for \"grant_type\" or \"requested_token_type\".");
      return;
    }
    if (!provider.name().equals(form.get("audience"))) {
      oauthError(
          exchange,
          "invalid_target",
          "The target service indicated by the \"audience\" parameters is invalid. This might either"
              + " be because the pool or provider is disabled or deleted or because it doesn't exist.");
      return;
    }
    if (form.get("scope") == null || form.get("scope").isBlank()) {
      oauthError(exchange, "invalid_scope", "Scope(s) must be provided.");
      return;
    }
    if (provider instanceof AwsProvider aws) {
      awsExchange(exchange, aws, form);
      return;
    }
    if (!"urn:ietf:params:oauth:token-type:jwt".equals(form.get("subject_token_type"))
        && !"urn:ietf:params:oauth:token-type:id_token".equals(form.get("subject_token_type"))) {
      oauthError(exchange, "invalid_request", "Invalid subject token type.");
      return;
    }
    Provider oidc = (Provider) provider;
    JsonNode claims;
    try {
      String[] parts = form.getOrDefault("subject_token", "").split("\\.");
      claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (RuntimeException | IOException e) {
      oauthError(exchange, "invalid_grant", "Unable to parse the ID Token.");
      return;
    }
    if (!signed.test(form.get("subject_token"))) {
      oauthError(exchange, "invalid_grant", "Invalid JWT signature.");
      return;
    }
    if (!oidc.issuer().equals(claims.path("iss").asText())) {
      oauthError(
          exchange,
          "invalid_grant",
          "The issuer in ID Token "
              + claims.path("iss").asText()
              + " does not match the expected ones.");
      return;
    }
    if (!oidc.audience().equals(claims.path("aud").asText())) {
      oauthError(
          exchange,
          "invalid_grant",
          "The audience in ID Token ["
              + claims.path("aud").asText()
              + "] does not match the expected audience.");
      return;
    }
    if (claims.path("exp").asLong() < Instant.now().getEpochSecond()) {
      oauthError(exchange, "invalid_grant", "ID Token expired.");
      return;
    }
    String subject = claims.path("sub").asText();
    if (!oidc.subjects().contains(subject)) {
      oauthError(
          exchange,
          "unauthorized_client",
          "The given credential is rejected by the attribute condition.");
      return;
    }
    issue(exchange, principalOf(subject), List.of());
  }

  private static final Pattern ASSUMED_ROLE =
      Pattern.compile("arn:aws:sts::(\\d{12}):assumed-role/([^/]+)/.+");

  /**
   * An AWS subject token: the URL-encoded JSON of a signed {@code GetCallerIdentity} request (its
   * URL, method and headers), which must name this provider in {@code
   * x-goog-cloud-target-resource}; AWS STS says who signed it.
   */
  private void awsExchange(HttpExchange exchange, AwsProvider aws, Map<String, String> form)
      throws IOException {
    if (!AWS4_REQUEST.equals(form.get("subject_token_type"))) {
      oauthError(exchange, "invalid_request", "Invalid subject token type.");
      return;
    }
    String method;
    URI url;
    Map<String, String> headers = new LinkedHashMap<>();
    try {
      // the form's value is itself the URL-encoded JSON of the request
      JsonNode request =
          JSON.readTree(
              URLDecoder.decode(form.getOrDefault("subject_token", ""), StandardCharsets.UTF_8));
      method = request.path("method").asText();
      url = URI.create(request.path("url").asText());
      for (JsonNode header : request.path("headers")) {
        headers.put(
            header.path("key").asText().toLowerCase(java.util.Locale.ROOT),
            header.path("value").asText());
      }
    } catch (RuntimeException | IOException e) {
      oauthError(exchange, "invalid_grant", "Unable to parse the AWS subject token.");
      return;
    }
    if (url.getHost() == null
        || !url.getHost().matches("sts(\\.[a-z0-9-]+)?\\.amazonaws\\.com")
        || !"Action=GetCallerIdentity&Version=2011-06-15".equals(url.getRawQuery())) {
      oauthError(
          exchange, "invalid_grant", "The AWS request is not a GetCallerIdentity call to AWS STS.");
      return;
    }
    if (!aws.name().equals(headers.get("x-goog-cloud-target-resource"))) {
      oauthError(
          exchange,
          "invalid_grant",
          "The x-goog-cloud-target-resource header of the AWS request does not match the"
              + " audience.");
      return;
    }
    // signed, or the same signed request could be presented for another provider
    Matcher signedHeaders =
        Pattern.compile("SignedHeaders=([^,]+)").matcher(headers.getOrDefault("authorization", ""));
    if (!signedHeaders.find()
        || !List.of(signedHeaders.group(1).split(";")).contains("x-goog-cloud-target-resource")) {
      oauthError(
          exchange,
          "invalid_grant",
          "The x-goog-cloud-target-resource header of the AWS request is not signed.");
      return;
    }
    String arn;
    try {
      arn = aws.sts().callerArn(method, url, headers);
    } catch (IllegalArgumentException e) {
      oauthError(exchange, "invalid_grant", "AWS STS refused the request: " + e.getMessage());
      return;
    }
    Matcher caller = ASSUMED_ROLE.matcher(arn);
    if (!caller.matches() || !caller.group(1).equals(aws.account())) {
      oauthError(
          exchange, "unauthorized_client", "The caller's AWS account is not the provider's.");
      return;
    }
    if (!aws.roles().contains(caller.group(2))) {
      oauthError(
          exchange,
          "unauthorized_client",
          "The given credential is rejected by the attribute condition.");
      return;
    }
    issue(exchange, principalOf(arn), List.of(principalSetOf("aws_role", caller.group(2))));
  }

  /** A federated access token for {@code principal}, a member of {@code sets} too. */
  private void issue(HttpExchange exchange, String principal, List<String> sets)
      throws IOException {
    String token = "ya29.federated-" + ids.incrementAndGet();
    principals.put(token, principal);
    List<String> all = new ArrayList<>(sets);
    all.add(0, principal);
    members.put(principal, List.copyOf(all));
    ObjectNode answer = JSON.createObjectNode();
    answer.put("access_token", token);
    answer.put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 3600);
    send(exchange, 200, "application/json", JSON.writeValueAsBytes(answer));
  }

  private String principalOf(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    return principals.get(authorization.substring("Bearer ".length()));
  }

  private int storage(HttpExchange exchange, String principal) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
    Matcher object = OBJECT.matcher(path);
    Matcher upload = UPLOAD.matcher(path);
    String method = exchange.getRequestMethod();
    if (object.matches() && "GET".equals(method)) {
      String bucket = decode(object.group(1));
      String name = decode(object.group(2));
      if (!allowed(principal, "storage.objects.get", bucket + "/" + name)) {
        return forbidden(exchange, principal, "storage.objects.get", bucket, name);
      }
      Stored stored = objects.get(bucket + "/" + name);
      if (stored == null) {
        return error(exchange, 404, "No such object: " + bucket + "/" + name);
      }
      if ("media".equals(query.get("alt"))) {
        return media(exchange, stored);
      }
      return send(
          exchange,
          200,
          "application/json",
          JSON.writeValueAsBytes(resource(bucket, name, stored)));
    }
    if (upload.matches() && "POST".equals(method)) {
      String bucket = decode(upload.group(1));
      return startUpload(exchange, principal, bucket, query);
    }
    if (upload.matches() && "PUT".equals(method) && query.containsKey("upload_id")) {
      return continueUpload(exchange, query.get("upload_id"));
    }
    return error(exchange, 501, "the double does not answer " + method + " " + path);
  }

  private int startUpload(
      HttpExchange exchange, String principal, String bucket, Map<String, String> query)
      throws IOException {
    String type = query.get("uploadType");
    byte[] body = body(exchange);
    ObjectNode resource;
    byte[] media;
    if ("multipart".equals(type)) {
      Multipart parts =
          Multipart.parse(exchange.getRequestHeaders().getFirst("Content-Type"), body);
      resource = (ObjectNode) JSON.readTree(parts.first());
      media = parts.second();
    } else if ("media".equals(type)) {
      resource = JSON.createObjectNode().put("name", query.get("name"));
      media = body;
    } else if ("resumable".equals(type)) {
      resource = body.length == 0 ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
      if (query.containsKey("name")) {
        resource.put("name", query.get("name"));
      }
      media = null;
    } else {
      return error(exchange, 400, "Invalid upload type " + type);
    }
    String name = resource.path("name").asText();
    if (name.isEmpty()) {
      return error(exchange, 400, "Required: object name");
    }
    if (!allowed(principal, "storage.objects.create", bucket + "/" + name)) {
      return forbidden(exchange, principal, "storage.objects.create", bucket, name);
    }
    Long ifGenerationMatch =
        query.containsKey("ifGenerationMatch")
            ? Long.valueOf(query.get("ifGenerationMatch"))
            : null;
    if (media != null) {
      return finish(
          exchange, new Upload(bucket, name, resource, null, principal, ifGenerationMatch), media);
    }
    String id = "upload-" + ids.incrementAndGet();
    uploads.put(
        id,
        new Upload(
            bucket,
            name,
            resource,
            new java.io.ByteArrayOutputStream(),
            principal,
            ifGenerationMatch));
    exchange
        .getResponseHeaders()
        .add(
            "Location",
            base() + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id);
    return send(exchange, 200, "application/json", new byte[0]);
  }

  private int continueUpload(HttpExchange exchange, String id) throws IOException {
    Upload upload = uploads.get(id);
    if (upload == null) {
      return error(exchange, 404, "No such upload session");
    }
    if (!upload.principal().equals(principalOf(exchange))) {
      return error(exchange, 403, "The upload session belongs to another caller");
    }
    byte[] chunk = body(exchange);
    // Content-Range: bytes FIRST-LAST/TOTAL, bytes */TOTAL (a final empty chunk), or bytes
    // FIRST-LAST/* (more to come)
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    Matcher m =
        Pattern.compile("bytes (\\*|(\\d+)-(\\d+))/(\\*|\\d+)")
            .matcher(range == null ? "" : range.trim());
    if (!m.matches()) {
      return error(exchange, 400, "Invalid Content-Range " + range);
    }
    synchronized (upload) {
      if (m.group(2) != null && Long.parseLong(m.group(2)) != upload.bytes().size()) {
        return error(
            exchange,
            400,
            "Content-Range starts at " + m.group(2) + ", not at " + upload.bytes().size());
      }
      upload.bytes().write(chunk);
      if ("*".equals(m.group(4))) {
        exchange.getResponseHeaders().add("Range", "bytes=0-" + (upload.bytes().size() - 1));
        exchange.sendResponseHeaders(308, -1);
        return 308;
      }
      if (Long.parseLong(m.group(4)) != upload.bytes().size()) {
        exchange.getResponseHeaders().add("Range", "bytes=0-" + (upload.bytes().size() - 1));
        exchange.sendResponseHeaders(308, -1);
        return 308;
      }
      uploads.remove(id);
      return finish(exchange, upload, upload.bytes().toByteArray());
    }
  }

  private int finish(HttpExchange exchange, Upload upload, byte[] media) throws IOException {
    String key = upload.bucket() + "/" + upload.name();
    Map<String, String> metadata = new LinkedHashMap<>();
    upload
        .resource()
        .path("metadata")
        .properties()
        .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    Stored stored =
        new Stored(
            media,
            generations.incrementAndGet(),
            upload.resource().path("contentType").asText("application/octet-stream"),
            metadata,
            Instant.now());
    synchronized (objects) {
      Stored there = objects.get(key);
      if (upload.ifGenerationMatch() != null
          && (there == null ? 0 : there.generation()) != upload.ifGenerationMatch()) {
        return error(
            exchange, 412, "At least one of the pre-conditions you specified did not hold.");
      }
      // replacing an object deletes the one there
      if (there != null && !allowed(upload.principal(), "storage.objects.delete", key)) {
        return forbidden(
            exchange, upload.principal(), "storage.objects.delete", upload.bucket(), upload.name());
      }
      if (there != null) {
        exchange.setAttribute(REPLACED, Boolean.TRUE);
      }
      objects.put(key, stored);
    }
    return send(
        exchange,
        200,
        "application/json",
        JSON.writeValueAsBytes(resource(upload.bucket(), upload.name(), stored)));
  }

  private int media(HttpExchange exchange, Stored stored) throws IOException {
    byte[] bytes = stored.bytes();
    String range = exchange.getRequestHeaders().getFirst("Range");
    exchange.getResponseHeaders().add("x-goog-generation", String.valueOf(stored.generation()));
    exchange.getResponseHeaders().add("x-goog-stored-content-length", String.valueOf(bytes.length));
    exchange
        .getResponseHeaders()
        .add("x-goog-hash", "md5=" + Base64.getEncoder().encodeToString(md5(bytes)));
    if (range != null && range.startsWith("bytes=")) {
      String[] bounds = range.substring("bytes=".length()).split("-", -1);
      long first = Long.parseLong(bounds[0]);
      long last =
          bounds[1].isEmpty()
              ? bytes.length - 1
              : Math.min(Long.parseLong(bounds[1]), bytes.length - 1);
      if (first >= bytes.length) {
        exchange.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
        return send(exchange, 416, "application/json", new byte[0]);
      }
      byte[] part = java.util.Arrays.copyOfRange(bytes, (int) first, (int) last + 1);
      exchange
          .getResponseHeaders()
          .add("Content-Range", "bytes " + first + "-" + last + "/" + bytes.length);
      return send(exchange, 206, stored.contentType(), part);
    }
    return send(exchange, 200, stored.contentType(), bytes);
  }

  private ObjectNode resource(String bucket, String name, Stored stored) {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", "storage#object");
    node.put("id", bucket + "/" + name + "/" + stored.generation());
    node.put("bucket", bucket);
    node.put("name", name);
    node.put("generation", String.valueOf(stored.generation()));
    node.put("metageneration", "1");
    node.put("contentType", stored.contentType());
    node.put("size", String.valueOf(stored.bytes().length));
    node.put("md5Hash", Base64.getEncoder().encodeToString(md5(stored.bytes())));
    node.put("etag", "C" + stored.generation());
    node.put("timeCreated", stored.updated().toString());
    node.put("updated", stored.updated().toString());
    if (!stored.metadata().isEmpty()) {
      ObjectNode metadata = node.putObject("metadata");
      stored.metadata().forEach(metadata::put);
    }
    return node;
  }

  private int forbidden(
      HttpExchange exchange, String principal, String permission, String bucket, String name)
      throws IOException {
    return error(
        exchange,
        403,
        principal
            + " does not have "
            + permission
            + " access to the Google Cloud Storage object."
            + " Permission '"
            + permission
            + "' denied on resource (or it may not exist).");
  }

  private static int error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", status);
    error.put("message", message);
    error
        .putArray("errors")
        .addObject()
        .put("message", message)
        .put(
            "reason",
            status == 412
                ? "conditionNotMet"
                : status == 403 ? "forbidden" : status == 401 ? "required" : "invalid");
    return send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void oauthError(HttpExchange exchange, String error, String description)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", error);
    body.put("error_description", description);
    // RFC 6749's token endpoint answers its errors with 400
    send(exchange, 400, "application/json", JSON.writeValueAsBytes(body));
  }

  private static int send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    return status;
  }

  /** The request's bytes, unzipped where the client sent them gzipped (as it does uploads). */
  private static byte[] body(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (java.io.InputStream in =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    return raw;
  }

  private static Map<String, String> form(String encoded) {
    Map<String, String> form = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return form;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          decode(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return form;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A multipart/related body of two parts: the object's JSON, then its bytes. */
  private record Multipart(byte[] first, byte[] second) {
    static Multipart parse(String contentType, byte[] body) {
      Matcher m =
          Pattern.compile("boundary=\"?([^\";]+)\"?")
              .matcher(contentType == null ? "" : contentType);
      if (!m.find()) {
        throw new UncheckedIOException(new IOException("no multipart boundary in " + contentType));
      }
      byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
      List<byte[]> parts = new ArrayList<>();
      int at = indexOf(body, delimiter, 0);
      while (at >= 0) {
        int start = at + delimiter.length;
        if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
          break;
        }
        int next = indexOf(body, delimiter, start);
        if (next < 0) {
          break;
        }
        byte[] part = java.util.Arrays.copyOfRange(body, start, next);
        int headersEnd = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        int content = headersEnd + 4;
        int end = part.length;
        if (end >= 2 && part[end - 2] == '\r' && part[end - 1] == '\n') {
          end -= 2;
        }
        parts.add(java.util.Arrays.copyOfRange(part, content, end));
        at = next;
      }
      if (parts.size() != 2) {
        throw new UncheckedIOException(
            new IOException(
                "expected 2 parts, got "
                    + parts.size()
                    + " in "
                    + contentType
                    + ": "
                    + new String(
                        body, 0, Math.min(body.length, 400), StandardCharsets.ISO_8859_1)));
      }
      return new Multipart(parts.get(0), parts.get(1));
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
      outer:
      for (int i = from; i <= haystack.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
