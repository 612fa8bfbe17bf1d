package io.triad.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.LaunchedTraining;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventBridge scheduled events to {@code onSchedule}. The stack makes one rule for all models
 * ({@code {project}-retrain}): an event from a rule that names no model retrains every model in
 * {@code TRIAD_MODELS} and answers with the list of jobs. A rule named {@code retrain-{model}}
 * retrains that model alone (one job), so a model can get a schedule of its own by hand.
 *
 * <p>Every model is tried; if any submission failed the invocation fails with the causes, so
 * EventBridge retries it and the error metric counts it.
 */
final class ScheduledEvents implements LambdaEvents {
  private static final Logger log = LoggerFactory.getLogger(ScheduledEvents.class);

  private final Function<ScheduledTick, LaunchedTraining> onSchedule;
  private final List<String> models;

  ScheduledEvents(Function<ScheduledTick, LaunchedTraining> onSchedule, List<String> models) {
    this.onSchedule = onSchedule;
    this.models = List.copyOf(models);
  }

  @Override
  public Object handle(JsonNode event) {
    List<ScheduledTick> ticks = decode(event, models);
    if (ruleNamesModel(event) || models.isEmpty()) {
      return onSchedule.apply(ticks.get(0));
    }
    return retrainEach(ticks);
  }

  /** The ticks an event stands for: its rule's model, else one per configured model, else the rule's name as it is. */
  static List<ScheduledTick> decode(JsonNode event, List<String> models) {
    Instant time = event.hasNonNull("time") ? Instant.parse(event.path("time").asText()) : null;
    String rule = ruleName(event);
    if (ruleNamesModel(event) || models.isEmpty()) {
      if (rule == null) {
        throw new IllegalArgumentException("scheduled event without a rule ARN in resources and no "
            + AwsSettings.MODELS + " configured");
      }
      // an unknown name goes through as it is, so onSchedule reports it
      return List.of(new ScheduledTick(rule, time));
    }
    return models.stream().map(m -> ScheduledTick.retrain(m, time)).toList();
  }

  private List<LaunchedTraining> retrainEach(List<ScheduledTick> ticks) {
    List<LaunchedTraining> launched = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (ScheduledTick tick : ticks) {
      try {
        launched.add(onSchedule.apply(tick));
      } catch (RuntimeException e) {
        log.error("{} was not submitted: {}", tick.schedule(), e.getMessage());
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failed = new IllegalStateException(failures.size() + " of " + ticks.size()
          + " retraining job(s) were not submitted; first cause: " + failures.get(0).getMessage(), failures.get(0));
      failures.stream().skip(1).forEach(failed::addSuppressed);
      throw failed;
    }
    return launched;
  }

  private static boolean ruleNamesModel(JsonNode event) {
    String rule = ruleName(event);
    return rule != null && rule.startsWith(ScheduledTick.RETRAIN_PREFIX);
  }

  /** The last segment of the first resource ARN: {@code arn:aws:events:r:a:rule[/bus]/NAME}; null without one. */
  private static String ruleName(JsonNode event) {
    String arn = event.path("resources").path(0).asText("");
    int rule = arn.indexOf(":rule/");
    return rule < 0 ? null : arn.substring(arn.lastIndexOf('/') + 1);
  }
}
