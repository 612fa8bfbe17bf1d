package io.triad.bench;

import io.triad.functions.signing.FileKeySource;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.signing.SigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmarks' signing key: made once per run in a temporary folder, trusted and used by the
 * runtimes the benchmarks start, as a deployment's own key would be.
 */
public final class BenchKeys {
  private static Path file;
  private static PackageSigner signer;

  private BenchKeys() {}

  public static synchronized PackageSigner signer() {
    if (signer == null) {
      try {
        Path dir = Files.createTempDirectory("triad-bench-key");
        dir.toFile().deleteOnExit();
        file = dir.resolve("signing-key.pem");
        signer = FileKeySource.createIfAbsent(file);
        file.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return signer;
  }

  /** The public key, as {@code TRIAD_SIGNING_TRUSTED_KEYS} holds it. */
  public static String trustedKeys() {
    return SigningKeys.publicKeyText(signer().publicKey());
  }

  /** {@code triad.signing.key} and {@code triad.signing.trusted-keys} for a runtime under test. */
  static String[] settings() {
    PackageSigner key = signer();
    return new String[] {
      "triad.signing.key=file:" + file,
      "triad.signing.trusted-keys=" + SigningKeys.publicKeyText(key.publicKey())
    };
  }
}
