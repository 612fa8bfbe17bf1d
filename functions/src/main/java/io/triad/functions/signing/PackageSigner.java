package io.triad.functions.signing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Signs model packages at promotion. Only the function that promotes holds one; the functions that
 * serve hold public keys ({@link TrustedKeys}).
 */
public final class PackageSigner {
  private final PrivateKey key;
  private final PublicKey publicKey;
  private final String keyId;

  public PackageSigner(PrivateKey key) {
    this.key = key;
    this.publicKey = SigningKeys.publicKeyOf(key);
    this.keyId = SigningKeys.keyId(publicKey);
  }

  /** Reads the key from PEM (or one-line Base64 DER) text. */
  public static PackageSigner fromText(String text) {
    return new PackageSigner(SigningKeys.privateKey(text));
  }

  public String keyId() {
    return keyId;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /**
   * {@code signature.json} for a package of this name and version whose model file has {@code
   * modelSha256} and whose manifest is exactly {@code manifestBytes}.
   */
  public byte[] signatureFile(
      com.fasterxml.jackson.databind.ObjectMapper json,
      String model,
      String version,
      String modelSha256,
      byte[] manifestBytes) {
    return io.triad.functions.api.TriadJson.pretty(
        json, sign(model, version, modelSha256, io.triad.functions.model.Sha256.of(manifestBytes)));
  }

  /** The signature of a package whose files have these SHA-256s. */
  public PackageSignature sign(
      String model, String version, String modelSha256, String manifestSha256) {
    byte[] payload = PackageSignature.payload(model, version, modelSha256, manifestSha256);
    try {
      Signature signature = Signature.getInstance(SigningKeys.ALGORITHM);
      signature.initSign(key);
      signature.update(payload);
      return PackageSignature.of(
          keyId, model, version, modelSha256, manifestSha256, signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
