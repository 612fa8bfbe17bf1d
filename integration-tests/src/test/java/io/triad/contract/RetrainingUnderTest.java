package io.triad.contract;

import java.time.Duration;
import java.util.List;

/**
 * One runtime as the retraining loop sees it: its serving function, its schedule entry point, where
 * its training jobs go (a batch double, or the local runtime's own child process), and how its
 * platform tells the object function that a candidate was written.
 */
interface RetrainingUnderTest extends AutoCloseable {

  /** The HTTP function that serves the models; the loop never restarts it. */
  RuntimeUnderTest serving();

  /** Fires the schedule once through the runtime's own entry point. */
  void tick() throws Exception;

  /** Waits for the job the tick submitted for {@code model} and for its trainer to exit 0. */
  TrainedJob awaitTrained(String model, Duration timeout) throws Exception;

  /**
   * Announces {@code key} to the function that handles new objects, as the platform's storage
   * notification does.
   */
  void announce(String key) throws Exception;

  /**
   * A finished training job.
   *
   * @param id the job's id where it was submitted (a batch job, or the local trainer's log file)
   * @param version the candidate version it wrote
   * @param arguments the trainer's arguments as the batch service handed them to the container;
   *     empty on the local runtime, whose launcher starts the trainer itself
   */
  record TrainedJob(String id, String version, List<String> arguments) {}

  @Override
  void close() throws java.io.IOException;
}
