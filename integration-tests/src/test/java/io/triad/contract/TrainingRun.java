package io.triad.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One job a batch double accepted: its id, the trainer arguments as the service hands them to the
 * container, and the trainer child running them ({@code finished} completes with the exit code once
 * everything the double does for the job is done).
 */
final class TrainingRun {
  private final String jobId;
  private final List<String> arguments;
  private final Path log;
  private final Process process;
  private final CompletableFuture<Integer> finished;

  TrainingRun(
      String jobId,
      List<String> arguments,
      Path log,
      Process process,
      CompletableFuture<Integer> finished) {
    this.jobId = jobId;
    this.arguments = List.copyOf(arguments);
    this.log = log;
    this.process = process;
    this.finished = finished;
  }

  String jobId() {
    return jobId;
  }

  List<String> arguments() {
    return arguments;
  }

  String model() {
    return option("--model");
  }

  String version() {
    return option("--version");
  }

  /** The same run, recorded with {@code jobArguments} (a double that changed what it ran). */
  TrainingRun withArguments(List<String> jobArguments) {
    return new TrainingRun(jobId, jobArguments, log, process, finished);
  }

  /**
   * The same run, finished only once {@code afterSuccess} has also run (it is skipped when the
   * trainer failed).
   */
  TrainingRun then(Consumer<TrainingRun> afterSuccess) {
    return new TrainingRun(
        jobId,
        arguments,
        log,
        process,
        finished.thenApply(
            exit -> {
              if (exit == 0) {
                afterSuccess.accept(this);
              }
              return exit;
            }));
  }

  /**
   * Waits for the job; fails with the trainer's output unless it exited 0 within {@code timeout}.
   */
  void awaitSuccess(Duration timeout) throws InterruptedException {
    int exit;
    try {
      exit = finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "job " + jobId + " did not finish within " + timeout + ":\n" + output(), e);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "job " + jobId + " failed after its trainer: " + e.getCause() + "\n" + output(),
          e.getCause());
    }
    if (exit != 0) {
      throw new AssertionError(
          "job " + jobId + ": the trainer exited with " + exit + ":\n" + output());
    }
  }

  /** The trainer's exit code, once it has exited (within {@code timeout}). */
  int awaitExit(Duration timeout) throws Exception {
    return finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Completes with the exit code once the job is over. */
  CompletableFuture<Integer> finished() {
    return finished;
  }

  void stop() {
    process.destroyForcibly();
  }

  private String option(String name) {
    int at = arguments.indexOf(name);
    return at < 0 || at + 1 >= arguments.size() ? null : arguments.get(at + 1);
  }

  /** The last 20 lines the container wrote. */
  String output() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output at " + log + ": " + e.getMessage() + ")";
    }
  }
}
