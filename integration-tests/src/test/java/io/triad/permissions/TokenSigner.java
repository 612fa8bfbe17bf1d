package io.triad.permissions;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/**
 * An identity provider's signing key, made fresh for a test: RS256 JWTs as Google and Entra sign
 * them. Its public key stands for the provider's published keys, which {@link AwsStsDouble} checks
 * signatures with.
 */
public final class TokenSigner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair key;

  TokenSigner() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.key = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  PublicKey publicKey() {
    return key.getPublic();
  }

  String sign(Map<String, Object> claims) {
    try {
      String header =
          B64.encodeToString(
              JSON.writeValueAsBytes(Map.of("alg", "RS256", "kid", "double", "typ", "JWT")));
      String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key.getPrivate());
      rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + B64.encodeToString(rsa.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code jwt} is RS256-signed by {@code key}'s private half. */
  public static boolean verifies(PublicKey key, String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return rsa.verify(java.util.Base64.getUrlDecoder().decode(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
