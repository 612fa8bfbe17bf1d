package io.triad.local;

import io.triad.functions.api.Failure;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Turns files appearing in the bucket directory into object-created events, as S3 notifications,
 * Blob triggers and GCS finalize events do on the clouds. A file fires once it has stayed unchanged
 * for the settle time, so a file still being copied in is not read half-written. New folders are
 * watched as they appear and scanned for files that landed before the watch did. An event whose
 * function threw is delivered again with backoff, as the clouds redeliver ({@link EventRetries}).
 *
 * <p>At start it catches up: an upload that arrived while the runtime was down, or was being
 * handled when it was killed, has no output or failure record as new as itself, and is delivered. A
 * file that changes after it was handled is delivered again. A writer that cannot write a file in
 * one go can write {@code name.part} and rename it: the {@code .part} file is never an event.
 */
public final class BucketWatcher implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(BucketWatcher.class);

  /** The suffix of a local upload still being written ({@code name.part}, renamed when done). */
  static final String PART = ".part";

  private final FileSystemBlobStore store;
  private final Function<ObjectCreated, Outcome> onObjectCreated;
  private final Consumer<Outcome> listener;
  private final long settleNanos;
  private final Map<String, Long> pending = new ConcurrentHashMap<>();
  private final Map<String, Boolean> running = new ConcurrentHashMap<>();
  private final EventRetries retries;
  private WatchService watcher;
  private Thread watchThread;
  private ScheduledExecutorService ticker;
  private ExecutorService workers;

  public BucketWatcher(
      FileSystemBlobStore store,
      Function<ObjectCreated, Outcome> onObjectCreated,
      Consumer<Outcome> listener,
      Duration settle) {
    this(
        store,
        onObjectCreated,
        listener,
        settle,
        new EventRetries(Duration.ofSeconds(1), Duration.ofSeconds(30), 8));
  }

  BucketWatcher(
      FileSystemBlobStore store,
      Function<ObjectCreated, Outcome> onObjectCreated,
      Consumer<Outcome> listener,
      Duration settle,
      EventRetries retries) {
    this.store = store;
    this.onObjectCreated = onObjectCreated;
    this.listener = listener;
    this.settleNanos = settle.toNanos();
    this.retries = retries;
  }

  @Override
  public void start() {
    try {
      watcher = FileSystems.getDefault().newWatchService();
      for (String trigger : BucketLayout.TRIGGERS) {
        Files.createDirectories(store.root().resolve(trigger));
      }
      registerTree(store.root(), false);
      catchUp();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + store.root(), e);
    }
    workers = Executors.newFixedThreadPool(2, daemon("triad-events"));
    ticker = Executors.newSingleThreadScheduledExecutor(daemon("triad-settle"));
    ticker.scheduleWithFixedDelay(this::dispatchSettled, 50, 50, TimeUnit.MILLISECONDS);
    watchThread = daemon("triad-watch").newThread(this::watch);
    watchThread.start();
    log.info("watching {} for uploads", store.root());
  }

  private void watch() {
    while (true) {
      WatchKey key;
      try {
        key = watcher.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return; // stopping
      }
      try {
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            log.warn("file events overflowed; rescanning {}", store.root());
            registerTree(store.root(), true);
            continue;
          }
          Path path = dir.resolve((Path) event.context());
          // a link to a folder is an entry like any other (refused when it is read), never a
          // folder to watch: nothing outside the bucket is watched
          if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            registerTree(path, true);
          } else {
            touched(path);
          }
        }
      } catch (ClosedWatchServiceException e) {
        return; // stopping
      } catch (IOException | RuntimeException e) {
        // one folder that could not be watched must not stop the watching of every other one
        log.error("watching {}: {}", key.watchable(), e.toString());
      } finally {
        key.reset();
      }
    }
  }

  /**
   * Watches {@code top} and every folder below it; with {@code scan}, files found count as new.
   * Entries that vanish while they are walked (a folder removed, a staged write renamed) are passed
   * over; the staging folder is neither watched nor walked.
   */
  private void registerTree(Path top, boolean scan) throws IOException {
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
              throws IOException {
            if (dir.getFileName() != null
                && dir.getFileName().toString().equals(FileSystemBlobStore.TEMP_DIR)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            try {
              dir.register(
                  watcher,
                  StandardWatchEventKinds.ENTRY_CREATE,
                  StandardWatchEventKinds.ENTRY_MODIFY);
            } catch (NoSuchFileException gone) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (scan) {
              touched(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            if (file.equals(top)) {
              throw e;
            }
            log.warn("cannot watch {}: {}", file, e.toString());
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void touched(Path path) {
    store
        .keyOf(path)
        .filter(BucketWatcher::isTrigger)
        .ifPresent(key -> pending.put(key, System.nanoTime()));
  }

  /**
   * An object whose arrival is an event. A {@code .part} file is a local writer's upload still
   * being written: it is an event once renamed to its real name.
   */
  private static boolean isTrigger(String key) {
    return BucketLayout.TRIGGERS.stream().anyMatch(key::startsWith) && !key.endsWith(PART);
  }

  /**
   * What arrived while the runtime was down, or was being handled when it was killed: every upload
   * with no output or failure record as new as itself is delivered once, like a new one.
   */
  private void catchUp() throws IOException {
    sweepStaging();
    int found = 0;
    for (String prefix : List.of(BucketLayout.INCOMING, BucketLayout.LABELLED)) {
      Path top = store.root().resolve(prefix);
      if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> paths = Files.walk(top)) {
        for (Path path : (Iterable<Path>) paths::iterator) {
          if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          Optional<String> key = store.keyOf(path).filter(BucketWatcher::isTrigger);
          if (key.isPresent() && !handledSince(key.get(), lastModified(path))) {
            pending.put(key.get(), System.nanoTime());
            found++;
          }
        }
      }
    }
    for (BlobInfo manifest : store.list(BucketLayout.CANDIDATES)) {
      String[] parts = manifest.key().split("/");
      if (parts.length == 4
          && parts[3].equals(BucketLayout.MANIFEST_FILE)
          && !store.exists(BucketLayout.manifest(parts[1], parts[2]))
          && !store.exists(
              BucketLayout.candidateDir(parts[1], parts[2]) + BucketLayout.REJECTED_FILE)) {
        pending.put(manifest.key(), System.nanoTime());
        found++;
      }
    }
    if (found > 0) {
      log.info(
          "{} uploads and candidates arrived while the runtime was down; handling them", found);
    }
  }

  /** Staged writes older than this JVM were left by a runtime that was killed mid-write. */
  private void sweepStaging() throws IOException {
    long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    Path staging = store.root().resolve(FileSystemBlobStore.TEMP_DIR);
    if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.list(staging)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (lastModified(file) < started) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Whether {@code key} has an output or a failure record written after it last changed. */
  private boolean handledSince(String key, long modified) {
    List<String> evidence = new ArrayList<>();
    evidence.add(BucketLayout.failureRecord(key));
    if (key.startsWith(BucketLayout.INCOMING)) {
      String[] parts = key.split("/", 3);
      if (parts.length < 3) {
        return true;
      }
      evidence.add(BucketLayout.predictions(parts[1], parts[2], ImageEncoder.isImageKey(key)));
    } else {
      String[] parts = key.split("/", 3);
      if (parts.length < 3 || parts[2].contains("/")) {
        // a picture in a labelled folder waits for its folder's trigger
        return true;
      }
      String name =
          key.endsWith(BucketLayout.FOLDER_TRIGGER)
              ? BucketLayout.withoutExtension(parts[2])
              : parts[2];
      for (BlobInfo report : store.list(BucketLayout.EVALUATIONS + parts[1] + "/")) {
        if (report.key().endsWith("/" + name + ".json")) {
          evidence.add(report.key());
        }
      }
    }
    for (String output : evidence) {
      Optional<BlobInfo> info = store.head(output);
      if (info.isPresent() && info.get().lastModified().toEpochMilli() >= modified) {
        return true;
      }
    }
    return false;
  }

  private static long lastModified(Path path) {
    try {
      return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private void dispatchSettled() {
    try {
      dispatchDue();
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again: every later upload would wait forever
      log.error("dispatching settled uploads: {}", e.toString(), e);
    }
  }

  private void dispatchDue() {
    long now = System.nanoTime();
    pending.forEach(
        (key, touchedAt) -> {
          if (now - touchedAt >= settleNanos
              && !running.containsKey(key)
              && pending.remove(key, touchedAt)) {
            if (Files.notExists(store.pathOf(key), LinkOption.NOFOLLOW_LINKS)) {
              // removed before it settled: no object was created, as S3 would see it
              log.debug("{} was removed before it settled", key);
              return;
            }
            running.put(key, Boolean.TRUE);
            workers.execute(() -> handle(key));
          }
        });
  }

  private void handle(String key) {
    try {
      ObjectCreated event = ObjectCreated.of(key);
      listener.accept(onObjectCreated.apply(retries.isLast(key) ? event.asFinalAttempt() : event));
      retries.succeeded(key);
    } catch (RuntimeException e) {
      Failure failure = Failure.of(e);
      Optional<Duration> delay = retries.after(key, failure);
      if (delay.isPresent()) {
        log.warn(
            "{} not handled ({}); retrying in {} ms",
            key,
            failure.message(),
            delay.get().toMillis());
        // due once the settle time has passed after "now + delay - settle"
        pending.putIfAbsent(key, System.nanoTime() + delay.get().toNanos() - settleNanos);
      } else {
        log.error(
            "handling {} failed; it will be retried when the file changes: {}",
            key,
            e.toString(),
            e);
      }
    } finally {
      running.remove(key);
    }
  }

  @Override
  public void stop() {
    try {
      if (watcher != null) {
        watcher.close();
      }
    } catch (IOException e) {
      log.warn("closing the file watcher: {}", e.getMessage());
    }
    if (ticker != null) {
      ticker.shutdownNow();
      workers.shutdown();
      try {
        workers.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    watcher = null;
  }

  @Override
  public boolean isRunning() {
    return watcher != null;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
