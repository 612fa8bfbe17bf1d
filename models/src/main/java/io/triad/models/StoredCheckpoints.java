package io.triad.models;

import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A run's checkpoints in the store, beside its candidate ({@code
 * candidates/{m}/{v}/checkpoint.bin}): rewritten whole after every epoch, so a job that is stopped
 * (a spot machine taken back, a task retried) starts again from its last finished epoch. One of
 * another run (other options, other data), or one that cannot be read, is set aside with a line in
 * the log, and the run starts from the beginning.
 */
final class StoredCheckpoints implements RunState.Checkpoints {
  /** The largest checkpoint read. */
  static final int MAX_BYTES = 256 << 20;

  private final BlobStore store;
  private final String key;
  private final String fingerprint;
  private final PrintStream log;

  private StoredCheckpoints(BlobStore store, String key, String fingerprint, PrintStream log) {
    this.store = store;
    this.key = key;
    this.fingerprint = fingerprint;
    this.log = log;
  }

  /** The checkpoints of the run {@code options} describe. */
  static StoredCheckpoints of(BlobStore store, TrainerOptions options, PrintStream log) {
    Optional<BlobInfo> data = store.head(options.data());
    String tag = data.map(d -> d.size() + "/" + d.etag()).orElse("?");
    return new StoredCheckpoints(
        store,
        options.output() + BucketLayout.CHECKPOINT_FILE,
        Checkpoint.fingerprint(options.parameters(), options.data(), tag),
        log);
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public Optional<Checkpoint> latest() {
    byte[] bytes;
    try (InputStream in = store.open(key)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > MAX_BYTES) {
      log.printf("trainer: %s is over %d bytes; starting from the beginning%n", key, MAX_BYTES);
      return Optional.empty();
    }
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.decode(bytes);
    } catch (IllegalArgumentException e) {
      log.printf("trainer: %s set aside (%s); starting from the beginning%n", key, e.getMessage());
      return Optional.empty();
    }
    if (!checkpoint.fingerprint().equals(fingerprint)) {
      log.printf("trainer: %s is another run's; starting from the beginning%n", key);
      return Optional.empty();
    }
    log.printf("trainer: resuming after epoch %d from %s%n", checkpoint.epoch(), key);
    return Optional.of(checkpoint);
  }

  @Override
  public void save(Checkpoint checkpoint) {
    long start = System.nanoTime();
    byte[] bytes = checkpoint.encode();
    store.put(key, bytes);
    log.printf(
        "trainer: checkpoint after epoch %d: %,d bytes in %d ms%n",
        checkpoint.epoch(), bytes.length, (System.nanoTime() - start) / 1_000_000);
  }
}
