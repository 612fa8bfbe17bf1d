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

      @Override
      public String launch(TrainingJob job) {
        TrainingLauncher once;
        synchronized (this) {
          if (launcher == null) {
            launcher = built.get();
          }
          once = launcher;
        }
        return once.launch(job);
      }

      @Override
      public String cloud() {
        return cloud;
      }
    };
  }
}
