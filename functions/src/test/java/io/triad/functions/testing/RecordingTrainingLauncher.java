package io.triad.functions.testing;

import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double for {@link TrainingLauncher}: the real launchers start a child process or submit a
 * cloud batch job, neither of which a unit test should do. It records each job and returns {@code
 * job-1}, {@code job-2}, ...; for a model it was told to refuse it throws as a batch service that
 * refused the submission would.
 */
public final class RecordingTrainingLauncher implements TrainingLauncher {
  private final List<TrainingJob> jobs = new CopyOnWriteArrayList<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger refusals =
      new java.util.concurrent.atomic.AtomicInteger();

  private volatile long submitMillis;

  @Override
  public String launch(TrainingJob job) {
    if (submitMillis > 0) {
      try {
        Thread.sleep(submitMillis); // a submission that takes a while, as a batch API call does
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (refused.contains(job.model())) {
      refusals.incrementAndGet();
      throw new TrainingLaunchException(
          "the batch service refused the job for " + job.model() + " (capacity)");
    }
    jobs.add(job);
    return "job-" + jobs.size();
  }

  /** From now on, submissions for {@code model} fail; {@code false} lets them through again. */
  public void refuse(String model, boolean refuse) {
    if (refuse) {
      refused.add(model);
    } else {
      refused.remove(model);
    }
  }

  /** From now on each submission takes {@code millis} before it is accepted. */
  public void submitTakes(long millis) {
    this.submitMillis = millis;
  }

  /** How many submissions were refused so far. */
  public int refusals() {
    return refusals.get();
  }

  public List<TrainingJob> jobs() {
    return List.copyOf(jobs);
  }
}
