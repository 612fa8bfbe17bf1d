package io.triad.azure;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Azurite over HTTPS taking Entra bearer tokens ({@link Azurite#startSecure}), for the tests
 * outside this package: another cloud's functions reach the Azure stack's container this way.
 */
public final class SecureAzurite implements AutoCloseable {
  private final Azurite azurite;

  private SecureAzurite(Azurite azurite) {
    this.azurite = azurite;
  }

  /** Starts it in {@code workDir}, serving {@code pfx}'s certificate. */
  public static SecureAzurite start(Path workDir, Path pfx, String password)
      throws IOException, InterruptedException {
    return new SecureAzurite(Azurite.startSecure(workDir, pfx, password));
  }

  /** {@code https://127.0.0.1:PORT/devstoreaccount1}. */
  public String endpoint() {
    return azurite.secureEndpoint();
  }

  @Override
  public void close() {
    azurite.close();
  }
}
