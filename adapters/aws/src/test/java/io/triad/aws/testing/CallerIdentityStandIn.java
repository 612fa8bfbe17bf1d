package io.triad.aws.testing;

import io.triad.gcs.testing.GoogleFederationDouble;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;

/**
 * AWS STS answering the {@code GetCallerIdentity} request Google's token exchange forwards (AWS STS
 * does not run here): the caller's ARN when the request is signed for STS in its region by a
 * session this stand-in knows, with that session's token, within 15 minutes; otherwise AWS's
 * refusal, in AWS's words. The signature is recomputed independently of the signer ({@link SigV4}).
 */
public final class CallerIdentityStandIn implements GoogleFederationDouble.AwsSts {
  /**
   * A session AWS issued: its secret key, its session token (null for a long-term key), and who it
   * is ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}).
   */
  public record Session(String secret, String token, String arn) {}

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Map<String, Session> sessions;

  /**
   * @param sessions by access key id
   */
  public CallerIdentityStandIn(Map<String, Session> sessions) {
    this.sessions = Map.copyOf(sessions);
  }

  @Override
  public String callerArn(String method, URI url, Map<String, String> headers) {
    SigV4.Authorization auth;
    try {
      auth = SigV4.Authorization.parse(headers.get("authorization"));
    } catch (AssertionError e) {
      throw new IllegalArgumentException(
          "IncompleteSignature: The request signature does not conform to AWS standards.");
    }
    Session session = sessions.get(auth.accessKey());
    if (session == null || !Objects.equals(session.token(), headers.get("x-amz-security-token"))) {
      throw new IllegalArgumentException(
          "InvalidClientTokenId: The security token included in the request is invalid.");
    }
    String host = url.getHost();
    if (!auth.service().equals("sts")
        || !host.equals("sts." + auth.region() + ".amazonaws.com")
        || !host.equals(headers.get("host"))) {
      throw new IllegalArgumentException(
          "SignatureDoesNotMatch: Credential should be scoped to a valid region and service.");
    }
    Instant signed;
    try {
      signed = AMZ_DATE.parse(headers.getOrDefault("x-amz-date", ""), Instant::from);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("IncompleteSignature: no valid x-amz-date.");
    }
    if (Duration.between(signed, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException("SignatureDoesNotMatch: Signature expired.");
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String query = url.getRawQuery() == null ? "" : url.getRawQuery();
    String expected =
        SigV4.expectedSignature(session.secret(), auth, method, path, query, headers, new byte[0]);
    if (!expected.equals(auth.signature())) {
      throw new IllegalArgumentException(
          "SignatureDoesNotMatch: The request signature we calculated does not match the"
              + " signature you provided.");
    }
    return session.arn();
  }
}
