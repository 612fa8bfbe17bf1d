package io.triad.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.LaunchedTraining;
import java.time.Instant;
import java.util.function.Function;

/**
 * EventBridge scheduled events to {@code onSchedule}. The schedule is {@code retrain-{model}} for
 * the configured model ({@code TRIAD_RETRAIN_MODEL}) when there is one, else the rule's name, which
 * must then be {@code retrain-{model}}. A failed submission is thrown: the invocation fails with the
 * cause and EventBridge retries it.
 */
final class ScheduledEvents implements LambdaEvents {
  private final Function<ScheduledTick, LaunchedTraining> onSchedule;
  private final String retrainModel;

  ScheduledEvents(Function<ScheduledTick, LaunchedTraining> onSchedule, String retrainModel) {
    this.onSchedule = onSchedule;
    this.retrainModel = retrainModel;
  }

  @Override
  public LaunchedTraining handle(JsonNode event) {
    return onSchedule.apply(decode(event, retrainModel));
  }

  static ScheduledTick decode(JsonNode event, String retrainModel) {
    Instant time = event.hasNonNull("time") ? Instant.parse(event.path("time").asText()) : null;
    if (retrainModel != null) {
      return ScheduledTick.retrain(retrainModel, time);
    }
    return new ScheduledTick(ruleName(event), time);
  }

  /** The last segment of the first resource ARN: {@code arn:aws:events:r:a:rule[/bus]/NAME}. */
  private static String ruleName(JsonNode event) {
    String arn = event.path("resources").path(0).asText("");
    int rule = arn.indexOf(":rule/");
    if (rule < 0) {
      throw new IllegalArgumentException("scheduled event without a rule ARN in resources and no "
          + AwsSettings.RETRAIN_MODEL + " configured");
    }
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
