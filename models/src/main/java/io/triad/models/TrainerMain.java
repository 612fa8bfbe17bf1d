package io.triad.models;

import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The batch-job entrypoint every launcher runs (arguments as {@code TrainingJob.arguments()}):
 * trains a candidate and writes it to {@code --output}, manifest last. Exit 0 on success; otherwise
 * one error line on stderr and no manifest, with exit {@value #JOB_FAILED} when the job itself is
 * at fault (its data, its options, the image's natives: another attempt fails the same way, so the
 * batch services are told not to retry it) or {@value #ATTEMPT_FAILED} when something else failed
 * (the store, the machine: another attempt may succeed). {@code -Dtriad.debug=true} or {@code
 * TRIAD_DEBUG=1} adds the stack trace.
 */
public final class TrainerMain {
  /** The job is at fault: the batch services do not retry it (infra, the GCP launcher). */
  public static final int JOB_FAILED = 1;

  /** This attempt failed for another reason (a store call, the machine): worth another one. */
  public static final int ATTEMPT_FAILED = 2;

  private final PrintStream err;
  private final Clock clock;
  private final boolean debug;

  public TrainerMain(PrintStream err, Clock clock, boolean debug) {
    this.err = err;
    this.clock = clock;
    this.debug = debug;
  }

  public static void main(String[] args) {
    // Natives come from the pytorch-native-cpu jar; never let DJL download anything.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    boolean debug = Boolean.getBoolean("triad.debug") || "1".equals(System.getenv("TRIAD_DEBUG"));
    System.exit(new TrainerMain(System.err, Clock.systemUTC(), debug).run(args));
  }

  /** Runs one training job; returns the process exit code. */
  public int run(String... args) {
    try {
      TrainerOptions options = TrainerOptions.parse(List.of(args));
      BlobStore store = BlobStoreProvider.openUri(options.store());
      Path work = workFolder(options);
      try {
        Candidate candidate = new CandidateTrainer(store, clock, err).train(options, work);
        new CandidateWriter(store, CandidateWriter.defaultMapper())
            .write(options.output(), candidate);
      } finally {
        remove(work);
      }
      err.println(
          "trainer: wrote "
              + options.model()
              + " "
              + options.version()
              + " to "
              + store.uri()
              + options.output());
      return 0;
    } catch (TrainerException | IllegalArgumentException e) {
      return fail(e.getMessage(), e, JOB_FAILED);
    } catch (LinkageError e) {
      // a native library the image lacks is missing on every attempt
      return fail(e.getClass().getSimpleName() + ": " + e.getMessage(), e, JOB_FAILED);
    } catch (RuntimeException e) {
      return fail(e.getClass().getSimpleName() + ": " + e.getMessage(), e, ATTEMPT_FAILED);
    }
  }

  /** A fresh folder for this run's spool and held-out rows, removed when the run ends. */
  private static Path workFolder(TrainerOptions options) {
    Path parent =
        Path.of(
            options.spoolDir() != null ? options.spoolDir() : System.getProperty("java.io.tmpdir"));
    try {
      return Files.createTempDirectory(Files.createDirectories(parent), "triad-train-");
    } catch (IOException e) {
      throw new TrainerException(
          "cannot make a folder for the training rows under " + parent + ": " + e);
    }
  }

  private void remove(Path work) {
    try (Stream<Path> paths = Files.walk(work)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      err.println("trainer: could not remove " + work + ": " + e.getMessage());
    }
  }

  private int fail(String message, Throwable e, int exit) {
    err.println("trainer: error: " + message);
    if (debug) {
      e.printStackTrace(err);
    }
    return exit;
  }
}
