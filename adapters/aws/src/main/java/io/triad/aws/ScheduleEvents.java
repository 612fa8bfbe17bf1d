package io.triad.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.RetrainingReport;
import java.time.Instant;
import java.util.function.Function;

/**
 * EventBridge scheduled events to {@code onSchedule}. The stack makes one rule for all models
 * ({@code {project}-retrain}): its event retrains every model in the catalog. A rule named {@code
 * retrain-{model}} retrains that model alone, so a model can get a schedule of its own by hand. The
 * answer is the report, a result per model; a model that could not be submitted fails the
 * invocation, so EventBridge retries it and the error metric counts it.
 */
final class ScheduleEvents implements LambdaEvents {
  private final Function<ScheduledTick, RetrainingReport> onSchedule;

  ScheduleEvents(Function<ScheduledTick, RetrainingReport> onSchedule) {
    this.onSchedule = onSchedule;
  }

  @Override
  public Object handle(JsonNode event) {
    return onSchedule.apply(decode(event)).requireLaunched();
  }

  /** The tick an event stands for: its rule's model, else every model. */
  static ScheduledTick decode(JsonNode event) {
    Instant time = event.hasNonNull("time") ? Instant.parse(event.path("time").asText()) : null;
    String rule = ruleName(event);
    return rule != null && rule.startsWith(ScheduledTick.RETRAIN_PREFIX)
        ? ScheduledTick.retrain(ScheduledTick.modelOf(rule), time)
        : ScheduledTick.everyModel(time);
  }

  /**
   * The last segment of the first resource ARN: {@code arn:aws:events:r:a:rule[/bus]/NAME}; null
   * without one.
   */
  private static String ruleName(JsonNode event) {
    String arn = event.path("resources").path(0).asText("");
    int rule = arn.indexOf(":rule/");
    return rule < 0 ? null : arn.substring(arn.lastIndexOf('/') + 1);
  }
}
