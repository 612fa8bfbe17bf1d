package io.triad.functions.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@link TestModels#SIGNING_KEY} in a file only this user may read, as a promoting function on the
 * local runtime holds its key; one per test JVM, removed when it exits.
 */
public final class TestKeyFile {
  private static Path file;

  private TestKeyFile() {}

  public static synchronized Path path() {
    if (file == null) {
      try {
        Path created =
            Files.createTempFile(
                "triad-test-signing",
                ".pem",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(created, TestModels.SIGNING_KEY, StandardCharsets.US_ASCII);
        created.toFile().deleteOnExit();
        file = created;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }

  /** {@code triad.signing.key=file:…} for a runtime under test. */
  public static String setting() {
    return "triad.signing.key=file:" + path();
  }
}
