package io.triad.functions.testing;

import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLauncher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double for {@link TrainingLauncher}: the real launchers start a child process or submit a
 * cloud batch job, neither of which a unit test should do. It records each job and returns
 * {@code job-1}, {@code job-2}, ...
 */
public final class RecordingTrainingLauncher implements TrainingLauncher {
  private final List<TrainingJob> jobs = new CopyOnWriteArrayList<>();

  @Override
  public String launch(TrainingJob job) {
    jobs.add(job);
    return "job-" + jobs.size();
  }

  public List<TrainingJob> jobs() {
    return List.copyOf(jobs);
  }
}
