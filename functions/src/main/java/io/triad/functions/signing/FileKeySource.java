package io.triad.functions.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code file:PATH}: a PKCS#8 PEM file that only its owner may read. A key file others can read is
 * refused, as ssh refuses one.
 */
public final class FileKeySource implements SigningKeySource {
  public static final String SCHEME = "file";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public String read(String location) throws IOException {
    Path file = Path.of(location);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "the signing key file " + file + " does not exist or is not a file");
    }
    PosixFileAttributeView posix =
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (posix != null) {
      Set<PosixFilePermission> mode = posix.readAttributes().permissions();
      if (!OWNER_ONLY.containsAll(mode)) {
        throw new IllegalArgumentException(
            "the signing key file "
                + file
                + " may be read by others ("
                + PosixFilePermissions.toString(mode)
                + "); chmod 600 it");
      }
    }
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  /**
   * Creates a new key at {@code file} (mode 0600, written whole or not at all) unless one is there,
   * and returns the file's key.
   */
  public static PackageSigner createIfAbsent(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      KeyPair pair = SigningKeys.generate();
      Path part = file.resolveSibling(file.getFileName() + ".part");
      Files.deleteIfExists(part);
      Files.createFile(part, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(part, SigningKeys.pem(pair.getPrivate()), StandardCharsets.US_ASCII);
      try {
        Files.createLink(file, part); // atomic, and never over a key another start just wrote
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // that start's key is the one: read below
      } finally {
        Files.deleteIfExists(part);
      }
    }
    return PackageSigner.fromText(new FileKeySource().read(file.toString()));
  }
}
