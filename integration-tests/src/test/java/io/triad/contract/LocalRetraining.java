package io.triad.contract;

import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The loop on the embedded runtime, with nothing faked: the local jar in a child JVM ({@link
 * LocalUnderTest}) whose own cron fires the ticks, whose own launcher runs the trainer as a child
 * process (log in {@code logs/{model}-{version}.log} beside the bucket) and whose watcher finds the
 * candidate. Its only schedule entry point is the cron expression in its configuration, so each
 * model is given {@code S * * * * *}: second S of every minute, S chosen {@link #LEAD} after the
 * start, so the first tick comes once the runtime is up (a slower start costs a minute, not the
 * test). Close it once its loop is done, before the next minute's tick.
 */
final class LocalRetraining implements RetrainingUnderTest {
  static final Duration LEAD = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(100);

  private final Path logs;
  private final Instant firstTick;
  private final LocalUnderTest serving;

  LocalRetraining(Path work, List<String> models, List<String> settings, Consumer<BlobStore> given)
      throws Exception {
    Path bucket = Files.createDirectories(work.resolve("bucket"));
    given.accept(new FileSystemBlobStore(bucket));
    this.logs = work.resolve("logs");
    this.firstTick = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.SECONDS);
    List<String> all = new ArrayList<>(settings);
    int second = firstTick.atZone(ZoneOffset.UTC).getSecond();
    models.forEach(m -> all.add("triad.models." + m + ".schedule=" + second + " * * * * *"));
    this.serving = new LocalUnderTest(work, all.toArray(String[]::new));
  }

  @Override
  public String placement() {
    return "local/local/on-demand";
  }

  @Override
  public RuntimeUnderTest serving() {
    return serving;
  }

  /**
   * Nothing to send: waits for the second the runtime's cron fires at, which delivers each slot
   * once ({@code deliveries} cannot be more than one here; LocalRuntimeIT delivers one slot three
   * times at once through the same onSchedule).
   */
  @Override
  public void tick(int deliveries) throws InterruptedException {
    long wait = Duration.between(Instant.now(), firstTick).toMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  @Override
  public TrainedJob awaitTrained(String model, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Path log =
        await(
            () -> trainerLog(model),
            deadline,
            "no trainer for " + model + " started (no log in " + logs + ")");
    String version =
        log.getFileName().toString().substring(model.length() + 1).replaceFirst("\\.log$", "");
    String dir = BucketLayout.candidateDir(model, version);
    BlobStore bucket = serving.bucket();
    await(
        () -> {
          if (bucket.exists(dir + "job-failed.json")) {
            throw new AssertionError(
                "the trainer for "
                    + model
                    + " failed: "
                    + new String(bucket.read(dir + "job-failed.json"), StandardCharsets.UTF_8)
                    + "\n"
                    + Files.readString(log));
          }
          return bucket.exists(dir + BucketLayout.MANIFEST_FILE)
              ? Optional.of(true)
              : Optional.empty();
        },
        deadline,
        "the trainer for " + model + " wrote no " + dir + BucketLayout.MANIFEST_FILE);
    return new TrainedJob(logs.relativize(log).toString(), version, List.of());
  }

  /**
   * The first trainer log of {@code model}: {@code {model}-{version}.log}, versions being tick
   * times.
   */
  /** The trainers the runtime started for {@code model}: one log each. */
  @Override
  public int jobs(String model) throws IOException {
    return trainerLogs(model).size();
  }

  private Optional<Path> trainerLog(String model) throws IOException {
    return trainerLogs(model).stream().findFirst();
  }

  private List<Path> trainerLogs(String model) throws IOException {
    if (!Files.isDirectory(logs)) {
      return List.of();
    }
    Pattern name = Pattern.compile(Pattern.quote(model) + "-\\d{8}-\\d{6}(-\\d+)?\\.log");
    try (Stream<Path> files = Files.list(logs)) {
      return files
          .filter(f -> name.matcher(f.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  private interface Probe<T> {
    Optional<T> get() throws Exception;
  }

  private static <T> T await(Probe<T> probe, Instant deadline, String failure) throws Exception {
    while (true) {
      Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(failure);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Nothing to send: the runtime's watcher sees the candidate's manifest by itself. */
  @Override
  public void announce(String key) {}

  @Override
  public void close() {
    serving.close();
  }
}
