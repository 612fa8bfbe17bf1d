package io.triad.azure;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.LaunchedTraining;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One timer tick: a {@code retrain-{model}} tick through {@code onSchedule} for every configured
 * model, each submitted job logged with its id. Every model is tried; if any submission failed the
 * invocation fails with the causes, so the Functions host records (and alerts on) it.
 */
public final class ScheduledRetraining {
  private final Function<ScheduledTick, LaunchedTraining> onSchedule;
  private final List<String> models;
  private final Clock clock;

  public ScheduledRetraining(Function<ScheduledTick, LaunchedTraining> onSchedule, List<String> models, Clock clock) {
    this.onSchedule = onSchedule;
    this.models = List.copyOf(models);
    this.clock = clock;
  }

  public List<LaunchedTraining> tick(Logger log) {
    if (models.isEmpty()) {
      log.warning("no models to retrain: app setting " + AppSettings.MODELS + " is empty");
    }
    List<LaunchedTraining> launched = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (String model : models) {
      try {
        LaunchedTraining job = onSchedule.apply(ScheduledTick.retrain(model, clock.instant()));
        log.info("retraining " + model + ": Azure Batch job " + job.jobId() + " writes " + job.candidatePrefix());
        launched.add(job);
      } catch (RuntimeException e) {
        log.severe("retraining " + model + " was not submitted: " + e.getMessage());
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RetrainingFailed failed = new RetrainingFailed(failures.size() + " of " + models.size()
          + " retraining job(s) were not submitted; first cause: " + failures.get(0).getMessage(), failures.get(0));
      failures.stream().skip(1).forEach(failed::addSuppressed);
      throw failed;
    }
    return launched;
  }

  /** The timer invocation failed because at least one job could not be submitted. */
  public static final class RetrainingFailed extends RuntimeException {
    RetrainingFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
