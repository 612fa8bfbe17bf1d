package io.triad.permissions;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Entra mints for a managed identity that asks for a token for its token exchange ({@code
 * api://AzureADTokenExchange}), as Entra documents such tokens: RS256, {@code iss} the tenant's
 * version 2.0 issuer, {@code aud} the exchange, {@code sub} and {@code oid} the identity's object
 * id, {@code tid} the tenant, valid an hour (a managed identity's tokens often last longer; the
 * hour changes nothing here). No Entra or managed identity endpoint can run here: this signs in
 * process, and its key stands for the tenant's published keys, which {@link AwsStsDouble} checks
 * signatures with.
 */
public final class EntraTokenDouble {
  private final TokenSigner key = new TokenSigner();
  private final String tenant;
  private final String objectId;
  private final Clock clock;

  public EntraTokenDouble(String tenant, String objectId, Clock clock) {
    this.tenant = tenant;
    this.objectId = objectId;
    this.clock = clock;
  }

  /** The tenant's issuer, as its tokens' {@code iss} says it. */
  public String issuer() {
    return "https://login.microsoftonline.com/" + tenant + "/v2.0";
  }

  public PublicKey publicKey() {
    return key.publicKey();
  }

  /** A token for {@code resource} (a scope with {@code /.default} cut off). */
  public String token(String resource) {
    return sign(claims(resource));
  }

  public String sign(Map<String, Object> claims) {
    return key.sign(claims);
  }

  /** The claims Entra puts in a token for {@code resource}, issued now. */
  public Map<String, Object> claims(String resource) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer());
    claims.put("aud", resource);
    claims.put("sub", objectId);
    claims.put("oid", objectId);
    claims.put("tid", tenant);
    claims.put("ver", "2.0");
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + Duration.ofHours(1).toSeconds());
    return claims;
  }
}
