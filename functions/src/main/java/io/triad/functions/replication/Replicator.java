package io.triad.functions.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.Failure;
import io.triad.functions.api.PlainWords;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a promoted version to every other store listed for its model ({@code
 * triad.models.{m}.replicas}): each file of its package is streamed through a temporary file,
 * written at the destination, read back there and compared by SHA-256 with the source; only when
 * every file matches does the destination's production alias move (and only to the version the
 * source's alias names). A file already there with the same hash is not copied again, so a second
 * run copies nothing and an interrupted one resumes. Each destination's state is written to {@code
 * replication/{m}/{v}.json} in the source store after it is tried; a destination that failed (down,
 * refusing, corrupting) is {@code pending} with the reason, and {@link #catchUp} brings it to the
 * source's production version when it answers again.
 */
public final class Replicator {
  private static final Logger log = LoggerFactory.getLogger(Replicator.class);

  /** The state of a destination whose copy is verified and whose alias names the version. */
  public static final String DONE = "done";

  /** The state of a destination that still lacks the version (or its alias). */
  public static final String PENDING = "pending";

  private final BlobStore source;
  private final ObjectMapper json;
  private final Function<String, List<String>> replicas;
  private final Function<String, BlobStore> opener;
  private final Clock clock;
  private final Map<String, BlobStore> stores = new ConcurrentHashMap<>();

  /**
   * @param replicas each model's destinations, as URIs
   * @param opener opens a destination's store from its URI ({@code BlobStoreProvider::openUri})
   */
  public Replicator(
      BlobStore source,
      ObjectMapper json,
      Function<String, List<String>> replicas,
      Function<String, BlobStore> opener,
      Clock clock) {
    this.source = source;
    this.json = json;
    this.replicas = replicas;
    this.opener = opener;
    this.clock = clock;
  }

  /** Whether {@code model} lists any replica. */
  public boolean replicated(String model) {
    return !replicas.apply(model).isEmpty();
  }

  /**
   * Copies {@code version} of {@code model} to each of its replicas, verifies it there and moves
   * their production alias when the source's names it; never throws for a destination's fault.
   */
  public ReplicationStatus replicate(String model, String version) {
    ModelKeys.checkName(model);
    ModelKeys.checkVersion(version);
    ReplicationStatus status = status(model, version);
    for (String replica : replicas.apply(model)) {
      status = status.with(replica, copy(model, version, replica));
      write(status);
    }
    return status;
  }

  /**
   * Brings every replica of {@code model} to the version the source's production alias names: a
   * destination recorded done, whose alias names that version, is left alone (one small read).
   */
  public Optional<ReplicationStatus> catchUp(String model) {
    if (!replicated(model)) {
      // every tick asks: a model with no replicas costs no read
      return Optional.empty();
    }
    Optional<String> production = alias(source, model);
    if (production.isEmpty()) {
      return Optional.empty();
    }
    String version = production.get();
    ReplicationStatus status = status(model, version);
    boolean changed = false;
    for (String replica : replicas.apply(model)) {
      ReplicationStatus.Destination known = status.destinations().get(replica);
      if (known != null && known.state().equals(DONE) && upToDate(replica, model, version)) {
        continue;
      }
      ReplicationStatus.Destination now = copy(model, version, replica);
      if (now.state().equals(DONE) && known != null && !known.state().equals(DONE)) {
        log.info("model {} version {}: {} caught up", model, version, replica);
      }
      status = status.with(replica, now);
      changed = true;
    }
    if (changed) {
      write(status);
    }
    return Optional.of(status);
  }

  private boolean upToDate(String replica, String model, String version) {
    try {
      return alias(store(replica), model).filter(version::equals).isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** One destination: every file copied or found equal, verified, then the alias. */
  private ReplicationStatus.Destination copy(String model, String version, String replica) {
    int files = 0;
    int copied = 0;
    long bytes = 0;
    try {
      BlobStore destination = store(replica);
      List<BlobInfo> packageFiles =
          new ArrayList<>(source.list(BucketLayout.modelDir(model, version)));
      if (packageFiles.isEmpty()) {
        return pending(0, 0, 0, "version " + version + " has no package in the source store");
      }
      // the manifest last: a reader that finds it finds the rest
      packageFiles.sort(
          java.util.Comparator.comparing(
              (BlobInfo f) -> f.key().endsWith("/" + BucketLayout.MANIFEST_FILE)));
      for (BlobInfo file : packageFiles) {
        files++;
        bytes += file.size();
        if (copyFile(file.key(), destination)) {
          copied++;
        }
      }
      boolean aliasMoved = false;
      if (alias(source, model).filter(version::equals).isPresent()) {
        destination.put(
            BucketLayout.alias(model, BucketLayout.PRODUCTION),
            version.getBytes(StandardCharsets.UTF_8));
        aliasMoved = true;
      }
      log.info(
          "model {} version {}: replicated to {} ({} files, {} copied{})",
          model,
          version,
          replica,
          files,
          copied,
          aliasMoved ? ", alias moved" : "");
      return new ReplicationStatus.Destination(
          DONE, files, copied, bytes, clock.instant(), aliasMoved, null);
    } catch (RuntimeException e) {
      String reason = reason(e);
      log.warn("model {} version {}: {} not replicated yet: {}", model, version, replica, reason);
      return pending(files, copied, bytes, reason);
    }
  }

  /** What failed, in words: the message and its deepest cause's, never a class name. */
  static String reason(Throwable thrown) {
    Throwable deepest = thrown;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String top = thrown.getMessage() == null ? null : PlainWords.scrub(thrown.getMessage());
    String root =
        deepest == thrown || deepest.getMessage() == null
            ? null
            : PlainWords.scrub(deepest.getMessage());
    if (top == null && root == null) {
      return Failure.of(thrown).message();
    }
    String reason =
        top == null ? root : root == null || top.contains(root) ? top : top + ": " + root;
    // a service's error may carry its whole response body: its first line says enough
    String line = reason.lines().findFirst().orElse(reason).strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private ReplicationStatus.Destination pending(int files, int copied, long bytes, String reason) {
    return new ReplicationStatus.Destination(PENDING, files, copied, bytes, null, false, reason);
  }

  /**
   * Copies {@code key} unless the destination has it with the same hash; then reads the
   * destination's copy back and compares.
   *
   * @return whether it was copied
   */
  private boolean copyFile(String key, BlobStore destination) {
    Path staged = null;
    try {
      staged = Files.createTempFile("triad-replica", ".part");
      String hash;
      try (InputStream in = source.open(key);
          OutputStream out = Files.newOutputStream(staged)) {
        hash = copyHashing(in, out);
      }
      long size = Files.size(staged);
      Optional<BlobInfo> there = destination.head(key);
      if (there.isPresent()
          && there.get().size() == size
          && hash.equals(hashOf(destination, key))) {
        return false;
      }
      destination.put(key, staged);
      String written = hashOf(destination, key);
      if (!hash.equals(written)) {
        throw new IllegalStateException(
            key + " reads back with SHA-256 " + written + " at the destination, not " + hash);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (staged != null) {
        try {
          Files.deleteIfExists(staged);
        } catch (IOException e) {
          log.warn("could not remove {}: {}", staged, e.getMessage());
        }
      }
    }
  }

  private static String hashOf(BlobStore store, String key) throws IOException {
    try (InputStream in = store.open(key)) {
      return copyHashing(in, OutputStream.nullOutputStream());
    }
  }

  private static String copyHashing(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static Optional<String> alias(BlobStore store, String model) {
    try (InputStream in = store.open(BucketLayout.alias(model, BucketLayout.PRODUCTION))) {
      String version = new String(in.readNBytes(256), StandardCharsets.UTF_8).trim();
      return Optional.of(ModelKeys.checkVersion(version));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private BlobStore store(String replica) {
    return stores.computeIfAbsent(
        replica,
        uri -> {
          try {
            return opener.apply(uri);
          } catch (IllegalArgumentException e) {
            // the opener's own words say why (no such store packaged, no identity to write with)
            throw new IllegalStateException(
                "this runtime cannot open "
                    + java.net.URI.create(uri).getScheme()
                    + ":// stores here: "
                    + e.getMessage(),
                e);
          }
        });
  }

  /** The recorded status of {@code version}, or a fresh one. */
  ReplicationStatus status(String model, String version) {
    String key = BucketLayout.replicationStatus(model, version);
    try (InputStream in = source.open(key)) {
      ReplicationStatus status = json.readValue(in.readNBytes(1 << 20), ReplicationStatus.class);
      if (status.model().equals(model) && status.version().equals(version)) {
        return status;
      }
      log.warn("{} names another version; starting it again", key);
    } catch (NoSuchObjectException e) {
      // never replicated
    } catch (IOException | RuntimeException e) {
      log.warn("{} is unreadable; starting it again: {}", key, e.getMessage());
    }
    return new ReplicationStatus(model, version, clock.instant(), new LinkedHashMap<>());
  }

  private void write(ReplicationStatus status) {
    try {
      source.put(
          BucketLayout.replicationStatus(status.model(), status.version()),
          json.writerWithDefaultPrettyPrinter().writeValueAsBytes(status.updated(clock.instant())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
