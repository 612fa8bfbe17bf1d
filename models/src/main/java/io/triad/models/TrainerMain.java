package io.triad.models;

import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * The batch-job entrypoint every launcher runs (arguments as {@code TrainingJob.arguments()}):
 * trains a candidate and writes it to {@code --output}, manifest last. Exit 0 on success; otherwise
 * one error line on stderr, exit 1 and no manifest. {@code -Dtriad.debug=true} or {@code
 * TRIAD_DEBUG=1} adds the stack trace.
 */
public final class TrainerMain {
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
      Candidate candidate = new CandidateTrainer(store, clock, err).train(options);
      new CandidateWriter(store, CandidateWriter.defaultMapper())
          .write(options.output(), candidate);
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
      return fail(e.getMessage(), e);
    } catch (RuntimeException | LinkageError e) {
      return fail(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private int fail(String message, Throwable e) {
    err.println("trainer: error: " + message);
    if (debug) {
      e.printStackTrace(err);
    }
    return 1;
  }
}
