package io.triad.functions.testing;

import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import io.triad.functions.training.TrainingLauncher.JobState;
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

  private final java.util.Map<String, TrainingLaunchException.Refusal> refusedTargets =
      new ConcurrentHashMap<>();
  private final String cloud;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final java.util.Map<String, JobState> states = new ConcurrentHashMap<>();
  private final List<String> cancelled = new CopyOnWriteArrayList<>();

  private volatile long submitMillis;
  private volatile boolean repeatedWithdrawals;

  /** A launcher for the local runtime's cloud, {@code local}. */
  public RecordingTrainingLauncher() {
    this("local");
  }

  /** A launcher for {@code cloud}'s batch service. */
  public RecordingTrainingLauncher(String cloud) {
    this.cloud = cloud;
  }

  @Override
  public String cloud() {
    return cloud;
  }

  /**
   * From now on, submissions to {@code target} ({@code cloud/region/spot} or {@code .../on-demand})
   * are refused with {@code refusal}, as that service would refuse them.
   */
  public void refuseAt(String target, TrainingLaunchException.Refusal refusal) {
    if (refusal == null) {
      refusedTargets.remove(target); // taken again
    } else {
      refusedTargets.put(target, refusal);
    }
  }

  @Override
  public String launch(TrainingJob job) {
    if (submitMillis > 0) {
      try {
        Thread.sleep(submitMillis); // a submission that takes a while, as a batch API call does
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (job.placement() != null && refusedTargets.containsKey(job.placement().toString())) {
      refusals.incrementAndGet();
      throw new TrainingLaunchException(
          refusedTargets.get(job.placement().toString()),
          "the batch service at " + job.placement() + " refused the job");
    }
    if (job.placement() != null && !job.placement().cloud().equals(cloud)) {
      throw new IllegalStateException(
          "a " + job.placement().cloud() + " job was handed to the " + cloud + " launcher");
    }
    if (refused.contains(job.model())) {
      refusals.incrementAndGet();
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.CAPACITY,
          "the batch service refused the job for " + job.model() + " (capacity)");
    }
    jobs.add(job);
    String id = "job-" + jobs.size();
    boolean waits = job.placement() != null && held.contains(job.placement().toString());
    states.put(
        id,
        waits
            ? new JobState(JobState.Phase.WAITING, "RUNNABLE")
            : new JobState(JobState.Phase.RUNNING, "RUNNING"));
    return id;
  }

  @Override
  public JobState state(String jobId) {
    return states.getOrDefault(jobId, new JobState(JobState.Phase.ENDED, "not found"));
  }

  @Override
  public boolean cancel(String jobId, String reason) {
    JobState state = states.get(jobId);
    if (repeatedWithdrawals && state != null && state.detail().startsWith("CANCELLED")) {
      return true; // withdrawn already, and the service says so again
    }
    if (state == null || state.phase() != JobState.Phase.WAITING) {
      return false; // as a service refuses to withdraw a job that started or ended
    }
    states.put(jobId, new JobState(JobState.Phase.ENDED, "CANCELLED: " + reason));
    cancelled.add(jobId);
    return true;
  }

  /**
   * From now on, jobs submitted to {@code target} are accepted and wait for machines that never
   * come, as a queue with no capacity keeps them.
   */
  public void hold(String target) {
    held.add(target);
  }

  /**
   * From now on a job withdrawn already is withdrawn again without complaint, as AWS Batch's
   * TerminateJob answers a job it is terminating: the service does not tell two withdrawals apart.
   */
  public void acceptRepeatedWithdrawals() {
    this.repeatedWithdrawals = true;
  }

  /** The jobs withdrawn so far. */
  public List<String> cancelled() {
    return List.copyOf(cancelled);
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
