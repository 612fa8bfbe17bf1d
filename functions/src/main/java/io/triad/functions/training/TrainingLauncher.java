package io.triad.functions.training;

/**
 * Starts a training job somewhere else: a child process locally, a GPU batch job on each cloud. It
 * returns once the job is submitted; the job reports back by writing the candidate's {@code
 * manifest.json}, which is an ordinary object event.
 */
public interface TrainingLauncher {

  /**
   * Submits {@code job}: where its {@link TrainingJob#placement()} says when it names one (a region
   * and machine kind of this launcher's {@link #cloud()}), else as the launcher is configured.
   *
   * @return the launcher's id for the job (a process id, a batch job id or name), for the logs
   * @throws TrainingLaunchException when the job could not be submitted, with the {@link
   *     TrainingLaunchException.Refusal} that says why ({@code UNAVAILABLE} for a placement this
   *     launcher cannot submit to)
   */
  String launch(TrainingJob job);

  /** The cloud this launcher submits to, as placements name it: aws, azure, gcp or local. */
  String cloud();

  /**
   * Whether {@link #launch} would submit a job placed on {@code target} rather than refuse it as
   * unavailable without asking the service (another cloud; a region or machine kind the stack's
   * queue, pool or network does not have). Asked before a waiting job is withdrawn: one is not
   * withdrawn when no later target could take it.
   */
  default boolean takes(PlacementTarget target) {
    return target.cloud().equals(cloud());
  }

  /**
   * What job {@code jobId} (as {@link #launch} answered it) is doing, as far as the service says;
   * {@link JobState.Phase#UNKNOWN} where this launcher cannot ask.
   */
  default JobState state(String jobId) {
    return new JobState(JobState.Phase.UNKNOWN, "the " + cloud() + " launcher cannot ask");
  }

  /**
   * Withdraws job {@code jobId} that has not started, so it can be submitted elsewhere.
   *
   * @return whether the service took the withdrawal (false where this launcher cannot withdraw)
   */
  default boolean cancel(String jobId, String reason) {
    return false;
  }

  /**
   * What a submitted job is doing.
   *
   * @param phase waiting for machines, running, ended (succeeded, failed, withdrawn or gone), or
   *     unknown
   * @param detail the service's own word for it, for the logs and {@code launch.json}
   */
  record JobState(Phase phase, String detail) {
    public enum Phase {
      WAITING,
      RUNNING,
      ENDED,
      UNKNOWN
    }
  }

  /**
   * A launcher for {@code cloud} that refuses every job with {@code reason}: where a function
   * serves but does not launch, or its batch service is not configured.
   */
  static TrainingLauncher refusing(String cloud, String reason) {
    return new TrainingLauncher() {
      @Override
      public String launch(TrainingJob job) {
        throw new TrainingLaunchException(TrainingLaunchException.Refusal.UNAVAILABLE, reason);
      }

      @Override
      public boolean takes(PlacementTarget target) {
        return false;
      }

      @Override
      public String cloud() {
        return cloud;
      }
    };
  }

  /**
   * A launcher for {@code cloud} built once, on its first job, so a start builds no batch client.
   */
  static TrainingLauncher lazy(String cloud, java.util.function.Supplier<TrainingLauncher> built) {
    return new TrainingLauncher() {
      private TrainingLauncher launcher;

      private synchronized TrainingLauncher once() {
        if (launcher == null) {
          launcher = built.get();
        }
        return launcher;
      }

      @Override
      public String launch(TrainingJob job) {
        return once().launch(job);
      }

      @Override
      public JobState state(String jobId) {
        return once().state(jobId);
      }

      @Override
      public boolean cancel(String jobId, String reason) {
        return once().cancel(jobId, reason);
      }

      @Override
      public boolean takes(PlacementTarget target) {
        return target.cloud().equals(cloud) && once().takes(target);
      }

      @Override
      public String cloud() {
        return cloud;
      }
    };
  }
}
