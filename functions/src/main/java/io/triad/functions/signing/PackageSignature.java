package io.triad.functions.signing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code signature.json} beside a promoted package: an Ed25519 signature over the package's name,
 * version and the SHA-256 of its model file and of its manifest's exact bytes, so changing either
 * file, or moving the package to another name or version, breaks it. The SHA-256s written here are
 * for people; a verifier recomputes them from the files it read.
 *
 * @param format {@value #FORMAT}
 * @param algorithm {@value SigningKeys#ALGORITHM}
 * @param keyId which key signed ({@link SigningKeys#keyId})
 * @param signature the signature, Base64
 */
public record PackageSignature(
    String format,
    String algorithm,
    String keyId,
    String model,
    String version,
    String modelSha256,
    String manifestSha256,
    String signature) {
  public static final String FORMAT = "triad-package-signature/1";

  static PackageSignature of(
      String keyId,
      String model,
      String version,
      String modelSha256,
      String manifestSha256,
      byte[] signature) {
    return new PackageSignature(
        FORMAT,
        SigningKeys.ALGORITHM,
        keyId,
        model,
        version,
        modelSha256,
        manifestSha256,
        Base64.getEncoder().encodeToString(signature));
  }

  /** The bytes signed: one line per fact, in this order, so no two packages share them. */
  static byte[] payload(String model, String version, String modelSha256, String manifestSha256) {
    return (FORMAT
            + "\nmodel "
            + model
            + "\nversion "
            + version
            + "\nmodel.onnx sha256 "
            + modelSha256.toLowerCase(java.util.Locale.ROOT)
            + "\nmanifest.json sha256 "
            + manifestSha256.toLowerCase(java.util.Locale.ROOT)
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
