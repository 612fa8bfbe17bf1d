package io.triad.functions.training;

/**
 * Starts a training job somewhere else: a child process locally, a GPU batch job on each cloud. It
 * returns once the job is submitted; the job reports back by writing the candidate's {@code
 * manifest.json}, which is an ordinary object event.
 */
public interface TrainingLauncher {

  /**
   * Submits {@code job}.
   *
   * @return the launcher's id for the job (a process id, a batch job id or name), for the logs
   * @throws TrainingLaunchException when the job could not be submitted
   */
  String launch(TrainingJob job);
}
