package io.triad.functions.store;

import io.triad.functions.api.TriadError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory as a bucket. Writes go to a temporary file under {@value #TEMP_DIR} and are renamed
 * into place, so a watcher or reader never sees half an object; {@link #putIfAbsent} uses a hard
 * link, which the kernel creates atomically or refuses.
 *
 * <p>Only regular files inside the directory are objects: a symbolic link (to a file or a folder)
 * is never followed, and a pipe, socket or device is never opened ({@link #refusal} says why), so
 * nothing outside the bucket is ever read and no read blocks on a pipe.
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(FileSystemBlobStore.class);

  /** Where writes are staged; never listed, never an event. */
  public static final String TEMP_DIR = ".triad-tmp";

  private final Path root;
  private final Path temp;

  public FileSystemBlobStore(Path root) {
    try {
      this.root = Files.createDirectories(root).toRealPath();
      this.temp = Files.createDirectories(this.root.resolve(TEMP_DIR));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bucket directory " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  /** The file behind {@code key}, guaranteed to lie inside the bucket directory. */
  public Path pathOf(String key) {
    Path path = root.resolve(ObjectKeys.check(key)).normalize();
    if (!path.startsWith(root) || path.startsWith(temp)) {
      throw TriadError.badRequest("object key outside the bucket: " + ObjectKeys.printable(key));
    }
    return path;
  }

  /** The key of a file inside the bucket, or empty for files outside it or in the staging area. */
  public Optional<String> keyOf(Path file) {
    Path path = file.toAbsolutePath().normalize();
    if (!path.startsWith(root) || path.startsWith(temp) || path.equals(root)) {
      return Optional.empty();
    }
    return Optional.of(root.relativize(path).toString().replace('\\', '/'));
  }

  @Override
  public Optional<String> refusal(String key) {
    Path path = pathOf(key);
    Path current = root;
    for (Path part : root.relativize(path)) {
      current = current.resolve(part);
      BasicFileAttributes attributes;
      try {
        attributes =
            Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      boolean last = current.equals(path);
      if (attributes.isSymbolicLink()) {
        return Optional.of(
            (last ? "it is a symbolic link" : "a folder on its path is a symbolic link")
                + "; only regular files inside the bucket are read, never what a link points to");
      }
      if (last && !attributes.isRegularFile() && !attributes.isDirectory()) {
        return Optional.of(
            "it is not a regular file (a pipe, socket or device); only regular files are read");
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<BlobInfo> head(String key) {
    Path path = pathOf(key);
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      BlobInfo info = info(key, attributes);
      Map<String, String> metadata = readMetadata(path);
      return Optional.of(
          metadata.isEmpty()
              ? info
              : new BlobInfo(key, info.size(), info.lastModified(), info.etag(), metadata));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream open(String key) throws NoSuchObjectException {
    try {
      Path path = pathOf(key);
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new NoSuchObjectException(key);
      }
      Optional<String> refused = refusal(key);
      if (refused.isPresent()) {
        throw TriadError.unprocessable(refused.get());
      }
      return Channels.newInputStream(
          Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key);
    } catch (NoSuchObjectException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void put(String key, byte[] bytes, Map<String, String> metadata) {
    Path target = pathOf(key);
    Path staged = stage(target);
    try {
      Files.write(staged, bytes);
      writeMetadata(staged, metadata);
      publish(staged, target);
    } catch (IOException e) {
      deleteQuietly(staged);
      throw new UncheckedIOException("writing " + key, e);
    }
  }

  @Override
  public void put(String key, Path file, Map<String, String> metadata) {
    Path target = pathOf(key);
    Path staged = stage(target);
    try {
      Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
      writeMetadata(staged, metadata);
      publish(staged, target);
    } catch (IOException e) {
      deleteQuietly(staged);
      throw new UncheckedIOException("writing " + key, e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    Path target = pathOf(key);
    Path staged = stage(target);
    try {
      Files.write(staged, bytes);
      Files.createDirectories(target.getParent());
      Files.createLink(target, staged);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + key, e);
    } finally {
      deleteQuietly(staged);
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    ObjectKeys.checkPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash)).normalize();
    if (!start.startsWith(root) || !Files.isDirectory(start)) {
      return List.of();
    }
    List<BlobInfo> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files
          .filter(p -> !p.startsWith(temp))
          .forEach(
              p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (key.startsWith(prefix)) {
                  try {
                    BasicFileAttributes a =
                        Files.readAttributes(
                            p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                      found.add(info(key, a));
                    }
                  } catch (NoSuchFileException gone) {
                    // deleted while we walked: not there any more
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + prefix, e);
    }
    found.sort(Comparator.comparing(BlobInfo::key));
    return found;
  }

  @Override
  public void copy(String from, String to) {
    Path source = pathOf(from);
    if (refusal(from).isPresent() || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new UncheckedIOException(new NoSuchObjectException(from));
    }
    put(to, source, readMetadata(source));
  }

  @Override
  public void delete(String key) {
    try {
      Files.deleteIfExists(pathOf(key));
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + key, e);
    }
  }

  @Override
  public String uri() {
    return root.toUri().toString();
  }

  /** The prefix of the extended attributes that hold user metadata. */
  private static final String METADATA = "triad.";

  private static final int MAX_METADATA = 32;
  private static final int MAX_METADATA_VALUE = 2048;

  private volatile boolean metadataUnsupported;

  private Path stage(Path target) {
    try {
      // not named after the target: a long name plus the suffix could pass the file system's limit
      return Files.createTempFile(temp, "put-", ".part");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage a write in " + temp, e);
    }
  }

  private static void publish(Path staged, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.move(
          staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static BlobInfo info(String key, BasicFileAttributes a) {
    long modified = a.lastModifiedTime().toMillis();
    String etag = Long.toHexString(a.size()) + "-" + Long.toHexString(modified);
    return new BlobInfo(key, a.size(), a.lastModifiedTime().toInstant(), etag);
  }

  /**
   * User metadata as extended attributes ({@code user.triad.{name}}), which a rename keeps. Where
   * the file system has none, the object is still written and the loss is logged once.
   */
  private void writeMetadata(Path staged, Map<String, String> metadata) throws IOException {
    if (metadata.isEmpty()) {
      return;
    }
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(staged, UserDefinedFileAttributeView.class);
    try {
      if (view == null) {
        throw new UnsupportedOperationException("no user-defined attributes");
      }
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        view.write(
            METADATA + entry.getKey(),
            java.nio.ByteBuffer.wrap(entry.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (!metadataUnsupported) {
        metadataUnsupported = true;
        log.warn(
            "{} keeps no object metadata (extended attributes: {}); outputs go without it",
            root,
            e.getMessage());
      }
    }
  }

  /** The user metadata of {@code path}; none where it cannot be read. */
  private static Map<String, String> readMetadata(Path path) {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(
            path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return Map.of();
    }
    Map<String, String> metadata = new java.util.TreeMap<>();
    try {
      for (String name : view.list()) {
        if (name.startsWith(METADATA) && metadata.size() < MAX_METADATA) {
          int size = view.size(name);
          if (size <= MAX_METADATA_VALUE) {
            java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(size);
            view.read(name, value);
            metadata.put(
                name.substring(METADATA.length()),
                new String(value.array(), 0, value.position(), StandardCharsets.UTF_8));
          }
        }
      }
    } catch (UnsupportedOperationException | IOException e) {
      return Map.of();
    }
    return metadata;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a leftover staging file is harmless: it is never listed and is overwritten by name
    }
  }
}
