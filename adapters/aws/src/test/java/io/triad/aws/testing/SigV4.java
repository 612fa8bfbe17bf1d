package io.triad.aws.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recomputes an AWS Signature Version 4 from what a server received, independently of the SDK, so a
 * test can tell a correctly signed request from one that merely carries an Authorization header.
 * Covers what the SDK's JSON protocols send (no query string) and a query string already in
 * canonical form (sorted, encoded), headers listed in SignedHeaders.
 */
public final class SigV4 {
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

  /** The parsed Authorization header. */
  public record Authorization(
      String accessKey,
      String date,
      String region,
      String service,
      List<String> signedHeaders,
      String signature) {
    public static Authorization parse(String header) {
      Matcher m = AUTHORIZATION.matcher(header == null ? "" : header);
      if (!m.matches()) {
        throw new AssertionError("not a SigV4 Authorization header: " + header);
      }
      return new Authorization(
          m.group(1),
          m.group(2),
          m.group(3),
          m.group(4),
          List.of(m.group(5).split(";")),
          m.group(6));
    }
  }

  private SigV4() {}

  /** The signature a holder of {@code secretKey} computes for this request. */
  public static String expectedSignature(
      String secretKey,
      Authorization auth,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body) {
    return expectedSignature(secretKey, auth, method, path, "", headers, body);
  }

  /**
   * The signature a holder of {@code secretKey} computes for this request, whose query string is
   * {@code query} (canonical already: its parameters sorted and encoded; empty for none).
   */
  public static String expectedSignature(
      String secretKey,
      Authorization auth,
      String method,
      String path,
      String query,
      Map<String, String> headers,
      byte[] body) {
    StringBuilder canonical =
        new StringBuilder(method).append('\n').append(path).append('\n').append(query).append('\n');
    for (String name : auth.signedHeaders()) {
      canonical
          .append(name)
          .append(':')
          .append(headers.get(name).trim().replaceAll(" +", " "))
          .append('\n');
    }
    canonical
        .append('\n')
        .append(String.join(";", auth.signedHeaders()))
        .append('\n')
        .append(hex(sha256(body)));
    String scope = auth.date() + "/" + auth.region() + "/" + auth.service() + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + headers.get("x-amz-date")
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.date());
    key = hmac(key, auth.region());
    key = hmac(key, auth.service());
    key = hmac(key, "aws4_request");
    return hex(hmac(key, toSign));
  }

  /** A request's headers by lower-case name, repeated values joined with commas. */
  public static Map<String, String> headers(com.sun.net.httpserver.Headers received) {
    Map<String, String> headers = new java.util.HashMap<>();
    received.forEach(
        (name, values) ->
            headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
    return headers;
  }

  /**
   * Whether the request was signed for {@code service} in {@code region} by a holder of one of
   * {@code credentials} (access key id to secret key).
   */
  public static boolean verifies(
      Map<String, String> credentials,
      String service,
      String region,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body) {
    Authorization auth;
    try {
      auth = Authorization.parse(headers.get("authorization"));
    } catch (AssertionError e) {
      return false;
    }
    String secret = credentials.get(auth.accessKey());
    return secret != null
        && auth.service().equals(service)
        && auth.region().equals(region)
        && expectedSignature(secret, auth, method, path, headers, body).equals(auth.signature());
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
