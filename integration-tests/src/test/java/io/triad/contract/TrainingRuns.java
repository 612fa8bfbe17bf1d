package io.triad.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The jobs a batch double has accepted, in order; a test waits here for the one of a model. */
final class TrainingRuns implements AutoCloseable {
  private final List<TrainingRun> runs = new ArrayList<>();

  synchronized void add(TrainingRun run) {
    runs.add(run);
    notifyAll();
  }

  /** The first job that trains {@code model}, once it has been submitted. */
  synchronized TrainingRun await(String model, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      for (TrainingRun run : runs) {
        if (model.equals(run.model())) {
          return run;
        }
      }
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new AssertionError(
            "no training job for "
                + model
                + " was submitted within "
                + timeout
                + "; jobs: "
                + runs.stream().map(TrainingRun::jobId).toList());
      }
      wait(left);
    }
  }

  /** How many accepted jobs train {@code model}. */
  synchronized int count(String model) {
    return (int) runs.stream().filter(run -> model.equals(run.model())).count();
  }

  /** Every job accepted so far, in order. */
  synchronized List<TrainingRun> all() {
    return List.copyOf(runs);
  }

  /** Waits for the run submitted for {@code model} and for its trainer to exit 0. */
  RetrainingUnderTest.TrainedJob awaitTrained(String model, Duration timeout)
      throws InterruptedException {
    TrainingRun run = await(model, timeout);
    run.awaitSuccess(timeout);
    return new RetrainingUnderTest.TrainedJob(run.jobId(), run.version(), run.arguments());
  }

  /** Ends trainers still running (a failed test must not leave them behind). */
  @Override
  public synchronized void close() {
    new ArrayList<>(runs).forEach(TrainingRun::stop);
  }
}
