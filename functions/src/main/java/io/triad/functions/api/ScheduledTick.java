package io.triad.functions.api;

import java.time.Instant;

/**
 * A schedule fired. {@code schedule} names it, {@code retrain-{model}} for retraining.
 */
public record ScheduledTick(String schedule, Instant time) {
  public static final String RETRAIN_PREFIX = "retrain-";

  public ScheduledTick {
    if (schedule == null || schedule.isBlank()) {
      throw TriadError.badRequest("schedule tick without a schedule name");
    }
    time = time == null ? Instant.now() : time;
  }

  public static ScheduledTick retrain(String model, Instant time) {
    return new ScheduledTick(RETRAIN_PREFIX + model, time);
  }
}
