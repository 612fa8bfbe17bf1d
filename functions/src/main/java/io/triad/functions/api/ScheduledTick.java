package io.triad.functions.api;

import java.time.Instant;
import java.util.List;

/**
 * A retraining schedule fired: retrain {@code models}, or every model in the catalog when the list
 * is empty. {@code time} is the schedule's slot and names the candidate versions.
 */
public record ScheduledTick(List<String> models, Instant time) {
  /** A schedule named {@code retrain-{model}} retrains that model alone. */
  public static final String RETRAIN_PREFIX = "retrain-";

  public ScheduledTick {
    models = models == null ? List.of() : List.copyOf(models);
    time = time == null ? Instant.now() : time;
  }

  public static ScheduledTick retrain(String model, Instant time) {
    return new ScheduledTick(List.of(model), time);
  }

  /** Every model in the catalog. */
  public static ScheduledTick everyModel(Instant time) {
    return new ScheduledTick(List.of(), time);
  }

  /**
   * The model a schedule's name stands for: {@code retrain-iris} and {@code iris} both name iris.
   */
  public static String modelOf(String scheduleName) {
    return scheduleName.startsWith(RETRAIN_PREFIX)
        ? scheduleName.substring(RETRAIN_PREFIX.length())
        : scheduleName;
  }
}
