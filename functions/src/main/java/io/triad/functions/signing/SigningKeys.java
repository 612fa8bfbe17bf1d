package io.triad.functions.signing;

import io.triad.functions.model.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys in the forms Triad stores and prints: a private key as PKCS#8 PEM (what {@code
 * openssl genpkey -algorithm ed25519} writes), a public key as the Base64 of its X.509
 * SubjectPublicKeyInfo (what {@code openssl pkey -pubout -outform DER | base64} prints), and a key
 * id, the first 16 hex digits of that encoding's SHA-256.
 */
public final class SigningKeys {
  public static final String ALGORITHM = "Ed25519";
  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";

  private SigningKeys() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK since 15 has Ed25519", e);
    }
  }

  /** The private key as PEM text, PKCS#8. */
  public static String pem(PrivateKey key) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
  }

  /**
   * Reads an Ed25519 private key from PKCS#8 PEM, or from the Base64 of its DER on one line (how a
   * secret store's value often holds it).
   *
   * @throws IllegalArgumentException with a plain reason when it is not one
   */
  public static PrivateKey privateKey(String text) {
    String body = text.strip();
    if (body.startsWith(PEM_BEGIN)) {
      int end = body.indexOf(PEM_END);
      if (end < 0) {
        throw new IllegalArgumentException("the PEM private key has no END line");
      }
      body = body.substring(PEM_BEGIN.length(), end);
    } else if (body.startsWith("-----BEGIN")) {
      throw new IllegalArgumentException(
          "the key is not a PKCS#8 private key (its PEM label is "
              + body.lines().findFirst().orElse("")
              + "); write one with: openssl genpkey -algorithm ed25519");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the private key is not valid Base64");
    }
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("the private key is not an Ed25519 key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public half of {@code key}, derived from its 32-byte seed as the JDK's generator does. */
  public static PublicKey publicKeyOf(PrivateKey key) {
    byte[] seed =
        ((EdECPrivateKey) key)
            .getBytes()
            .orElseThrow(() -> new IllegalArgumentException("the private key has no seed"));
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
      return generator.generateKeyPair().getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Base64 of the X.509 encoding: the text trusted-key settings hold. */
  public static String publicKeyText(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * Reads a public key from {@link #publicKeyText} form (a PEM {@code PUBLIC KEY} block works too).
   *
   * @throws IllegalArgumentException with a plain reason when it is not an Ed25519 public key
   */
  public static PublicKey publicKey(String text) {
    String body =
        text.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trusted key '" + clip(text) + "' is not valid Base64");
    }
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException(
          "trusted key '" + clip(text) + "' is not an Ed25519 public key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A short, stable name for a public key, recorded in each signature. */
  public static String keyId(PublicKey key) {
    return Sha256.of(key.getEncoded()).substring(0, 16);
  }

  private static String clip(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 24 ? oneLine : oneLine.substring(0, 24) + "…";
  }

  /** Hands the generator the seed it asks for, so it computes the public key of that seed. */
  private static final class SeedRandom extends SecureRandom {
    private final byte[] seed;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("the generator asked for " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
