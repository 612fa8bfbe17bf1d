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

  /**
   * Where this runtime's schedule function should place the {@code loop} model's job, given {@link
   * RetrainingLoop#PLACEMENT}: the first target it can launch on that its batch service takes
   * ({@code gcp/europe-west4/spot} on GCP, whose double refuses us-central1 over its quota).
   */
  String placement();

  /**
   * Fires the schedule once through the runtime's own entry point, the same tick delivered {@code
   * deliveries} times at once (as a platform that delivers at least once may).
   */
  void tick(int deliveries) throws Exception;

  /** How many training jobs the runtime has submitted for {@code model} so far. */
  int jobs(String model) throws Exception;

  /** Runs {@code delivery} {@code times} times at once; fails with the first failure. */
  static void atOnce(int times, java.util.concurrent.Callable<?> delivery) throws Exception {
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(times);
    java.util.concurrent.ExecutorService platform =
        java.util.concurrent.Executors.newFixedThreadPool(times);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int i = 0; i < times; i++) {
        done.add(
            platform.submit(
                () -> {
                  together.await();
                  return delivery.call();
                }));
      }
      for (java.util.concurrent.Future<?> one : done) {
        try {
          one.get(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
    } finally {
      platform.shutdownNow();
    }
  }

  /**
   * What else a promotion of {@code model} to {@code version} must have done on this runtime, once
   * it serves it (GCP: copied it into the AWS stack's bucket); nothing by default.
   */
  default void promoted(String model, String version) throws Exception {}

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
