package io.triad.functions.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object store the suite reads and writes: a directory locally, S3, Blob Storage or GCS on the
 * clouds. Keys are relative, '/'-separated and checked by {@link ObjectKeys#check}. Every write is
 * atomic: a reader sees the old object or the new one, never a part.
 */
public interface BlobStore {

  /** Metadata of {@code key}, or empty when there is no such object. */
  Optional<BlobInfo> head(String key);

  /** Opens {@code key} for streaming; the caller closes the stream. */
  InputStream open(String key) throws NoSuchObjectException;

  /** Writes {@code bytes} to {@code key}, replacing what was there. */
  default void put(String key, byte[] bytes) {
    put(key, bytes, Map.of());
  }

  /** Writes the content of a local file to {@code key}, replacing what was there. */
  default void put(String key, Path file) {
    put(key, file, Map.of());
  }

  /**
   * Writes {@code bytes} to {@code key} with user {@code metadata} (lower-case names of letters,
   * digits, {@code -} and {@code _}; short ASCII values), replacing what was there.
   */
  void put(String key, byte[] bytes, Map<String, String> metadata);

  /** As {@link #put(String, byte[], Map)}, from a local file. */
  void put(String key, Path file, Map<String, String> metadata);

  /**
   * Writes {@code bytes} only if {@code key} does not exist yet.
   *
   * @return true when this call created the object
   */
  boolean putIfAbsent(String key, byte[] bytes);

  /** Objects whose key starts with {@code prefix}, in key order. */
  List<BlobInfo> list(String prefix);

  /** Copies {@code from} to {@code to}, replacing {@code to}. */
  void copy(String from, String to);

  /** Deletes {@code key}; deleting what is not there is not an error. */
  void delete(String key);

  /** A readable URI for logs and for the trainer's {@code --store} argument. */
  String uri();

  /** Reads a whole (small) object. */
  default byte[] read(String key) {
    try (InputStream in = open(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key + " from " + uri(), e);
    }
  }

  /**
   * Why what is stored under {@code key} cannot be read as an object (a symbolic link, a pipe, a
   * device: things only a file system holds), or empty when it can or nothing is there. An upload
   * so refused gets a reason under {@code failed/} and no copy.
   */
  default Optional<String> refusal(String key) {
    return Optional.empty();
  }

  default boolean exists(String key) {
    return head(key).isPresent();
  }

  /** Copies then deletes; not atomic across the two keys, but each key is always whole. */
  default void move(String from, String to) {
    copy(from, to);
    delete(from);
  }
}
