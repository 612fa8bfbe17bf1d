package io.triad.aws;

import io.triad.functions.metrics.StartPhases;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Asked for with {@code TRIAD_START_PREFETCH=on} (off by default: on two shared cores it did not
 * pay reliably), what a Lambda start does on a second thread while the Spring context builds: ONNX
 * Runtime's native load, the S3 client (its classes and all, a third of a second), and the reads
 * priming makes first (each served model's production, canary and shadow aliases, then the
 * production version's manifest, signature and model) — the first S3 request's connection with
 * them. The context takes the client; {@link #store} serves each read made here once, if it is at
 * most {@link #FRESH} old, and anything else from S3. Any failure here leaves the work to the
 * context, as before; nothing is read that the function could not read itself.
 */
final class StartPrefetch {
  /** How old a prefetched read may be when served: a start is seconds, an alias check two. */
  static final Duration FRESH = Duration.ofSeconds(10);

  /** How long priming waits for reads still in flight rather than making them again. */
  private static final Duration WAIT = Duration.ofSeconds(3);

  /** Larger files are read when asked, not held in memory twice. */
  static final long MAX_FILE_BYTES = 128L << 20;

  private static final Logger log = LoggerFactory.getLogger(StartPrefetch.class);
  private static volatile StartPrefetch current;

  private final CompletableFuture<S3Client> client = new CompletableFuture<>();
  private final CompletableFuture<Void> reads = new CompletableFuture<>();
  private final Map<String, Read> prefetched = new ConcurrentHashMap<>();

  /**
   * One read: its bytes, or null for a key that does not exist; and when it was made, by the wall
   * clock (a SnapStart snapshot restored days later must find it old; the monotonic clock may start
   * again after a restore).
   */
  private record Read(byte[] bytes, long millis) {}

  private final long maxFileBytes;

  private StartPrefetch(long maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
  }

  /**
   * Starts the thread for {@code role}, with the settings and catalog the function's environment
   * gives; the context started after this finds it ({@link #current}).
   */
  static void begin(FunctionRole role, AwsSettings settings, List<String> models, String caller) {
    begin(role, settings, models, caller, MAX_FILE_BYTES);
  }

  /** As above, with files over {@code maxFileBytes} left to be read when asked. */
  static synchronized void begin(
      FunctionRole role,
      AwsSettings settings,
      List<String> models,
      String caller,
      long maxFileBytes) {
    StartPrefetch prefetch = new StartPrefetch(maxFileBytes);
    current = prefetch;
    Thread thread =
        new Thread(
            () -> prefetch.run(role != FunctionRole.SCHEDULE, settings, models, caller),
            "triad-start-prefetch");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The prefetch the entry point started for the context now starting, if any; taken once, so a
   * later context (a test's) builds its own.
   */
  static synchronized Optional<StartPrefetch> take() {
    StartPrefetch taken = current;
    current = null;
    return Optional.ofNullable(taken);
  }

  private void run(boolean primes, AwsSettings settings, List<String> models, String caller) {
    try {
      long began = StartPhases.begin();
      OnnxNatives.usePackaged(System.getenv("LAMBDA_TASK_ROOT"));
      ai.onnxruntime.OrtEnvironment.getEnvironment();
      StartPhases.end("prefetch.onnxruntime-native", began);
      began = StartPhases.begin();
      S3Client s3 = AwsClients.s3(settings, caller);
      StartPhases.end("prefetch.s3-client", began);
      client.complete(s3);
      if (primes && settings.bucket() != null && !settings.bucket().isBlank()) {
        began = StartPhases.begin();
        for (String model : models) {
          prefetchModel(s3, settings.bucket(), model);
        }
        StartPhases.end("prefetch.reads", began);
      }
    } catch (RuntimeException | LinkageError e) {
      log.info("start prefetch stopped, the context does the rest: {}", e.getMessage());
      client.complete(null);
    } finally {
      reads.complete(null);
    }
  }

  private void prefetchModel(S3Client s3, String bucket, String model) {
    for (String alias : List.of(BucketLayout.CANARY, BucketLayout.SHADOW)) {
      read(s3, bucket, BucketLayout.alias(model, alias));
    }
    Read production = read(s3, bucket, BucketLayout.alias(model, BucketLayout.PRODUCTION));
    if (production == null || production.bytes() == null || production.bytes().length > 256) {
      return;
    }
    String version = new String(production.bytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    if (!version.matches("[A-Za-z0-9._-]{1,128}")) {
      return; // the registry says what is wrong with it
    }
    read(s3, bucket, BucketLayout.manifest(model, version));
    read(s3, bucket, BucketLayout.signature(model, version));
    read(s3, bucket, BucketLayout.modelFile(model, version));
  }

  private Read read(S3Client s3, String bucket, String key) {
    Read read;
    // a file whose length says it is over the limit is left unread (aborted), and no more than the
    // limit is ever held, whatever the answer claims or omits
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      Long length = in.response().contentLength();
      if (length != null && length > maxFileBytes) {
        in.abort();
        return null;
      }
      byte[] bytes = in.readNBytes((int) maxFileBytes + 1);
      if (bytes.length > maxFileBytes) {
        return null;
      }
      read = new Read(bytes, System.currentTimeMillis());
    } catch (NoSuchKeyException e) {
      read = new Read(null, System.currentTimeMillis());
    } catch (IOException | RuntimeException e) {
      return null; // the store asks again, and says what failed
    }
    prefetched.put(key, read);
    return read;
  }

  /** The client built here, or null when it could not be (the context builds its own). */
  S3Client client() {
    return client.join();
  }

  /** {@code store}, serving each read made here once while it is fresh. */
  BlobStore store(BlobStore store) {
    return new Prefetched(store);
  }

  private final class Prefetched implements BlobStore {
    private final BlobStore store;

    Prefetched(BlobStore store) {
      this.store = store;
    }

    @Override
    public InputStream open(String key) throws NoSuchObjectException {
      if (!prefetched.isEmpty() || !reads.isDone()) {
        try {
          reads.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // read it from the store
        }
        Read read = prefetched.remove(key);
        long age = read == null ? -1 : System.currentTimeMillis() - read.millis();
        if (age >= 0 && age <= FRESH.toMillis()) {
          if (read.bytes() == null) {
            throw new NoSuchObjectException(key);
          }
          return new ByteArrayInputStream(read.bytes());
        }
      }
      return store.open(key);
    }

    @Override
    public Optional<BlobInfo> head(String key) {
      return store.head(key);
    }

    @Override
    public void put(String key, byte[] bytes, Map<String, String> metadata) {
      prefetched.remove(key);
      store.put(key, bytes, metadata);
    }

    @Override
    public void put(String key, Path file, Map<String, String> metadata) {
      prefetched.remove(key);
      store.put(key, file, metadata);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) {
      prefetched.remove(key);
      return store.putIfAbsent(key, bytes);
    }

    @Override
    public List<BlobInfo> list(String prefix) {
      return new ArrayList<>(store.list(prefix));
    }

    @Override
    public void copy(String from, String to) {
      prefetched.remove(to);
      store.copy(from, to);
    }

    @Override
    public void delete(String key) {
      prefetched.remove(key);
      store.delete(key);
    }

    @Override
    public Optional<String> refusal(String key) {
      return store.refusal(key);
    }

    @Override
    public String uri() {
      return store.uri();
    }
  }
}
