package io.triad.functions.testing;

import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A store whose reads of chosen keys fail as a store that cannot be reached fails (a timeout), on
 * cue: a test double, since no emulator here can fail one key while serving the others. Writes and
 * every other key go to the store it wraps.
 */
public final class FaultyStore implements BlobStore {
  private final BlobStore store;
  private volatile Predicate<String> failing = key -> false;
  private volatile Predicate<String> full = key -> false;
  private volatile Predicate<String> corrupting = key -> false;

  public FaultyStore(BlobStore store) {
    this.store = store;
  }

  /** From now on, reading a key {@code failing} accepts fails; {@code key -> false} heals it. */
  public void failReads(Predicate<String> failing) {
    this.failing = failing;
  }

  /**
   * From now on, writing a key {@code full} accepts fails as a full disk does; {@code key -> false}
   * frees the space.
   */
  public void failWrites(Predicate<String> full) {
    this.full = full;
  }

  /**
   * From now on, a file written to a key {@code corrupting} accepts is stored with its first byte
   * flipped, as a faulty disk or proxy might; {@code key -> false} heals it.
   */
  public void corruptWrites(Predicate<String> corrupting) {
    this.corrupting = corrupting;
  }

  private void checkSpace(String key) {
    if (full.test(key)) {
      throw new UncheckedIOException(
          "writing " + key, new java.io.IOException("No space left on device"));
    }
  }

  private void check(String key) {
    if (failing.test(key)) {
      throw new UncheckedIOException(
          "reading " + key, new SocketTimeoutException("the store did not answer"));
    }
  }

  @Override
  public Optional<BlobInfo> head(String key) {
    check(key);
    return store.head(key);
  }

  @Override
  public InputStream open(String key) throws NoSuchObjectException {
    check(key);
    return store.open(key);
  }

  @Override
  public void put(String key, byte[] bytes, java.util.Map<String, String> metadata) {
    checkSpace(key);
    store.put(key, bytes, metadata);
  }

  @Override
  public void put(String key, Path file, java.util.Map<String, String> metadata) {
    checkSpace(key);
    if (corrupting.test(key)) {
      try {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[0] ^= 1;
        store.put(key, bytes, metadata);
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    store.put(key, file, metadata);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    return store.putIfAbsent(key, bytes);
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    return store.list(prefix);
  }

  @Override
  public void copy(String from, String to) {
    check(from);
    checkSpace(to);
    store.copy(from, to);
  }

  @Override
  public void delete(String key) {
    store.delete(key);
  }

  @Override
  public String uri() {
    return store.uri();
  }
}
