package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.LaunchedTraining;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The stack's one rule retrains every model in TRIAD_MODELS; a {@code retrain-{model}} rule retrains its own. */
class ScheduledEventsTest {
  private final List<String> retrained = new ArrayList<>();
  private final Function<ScheduledTick, LaunchedTraining> onSchedule = tick -> {
    retrained.add(tick.schedule());
    if (tick.schedule().endsWith("broken")) {
      throw new IllegalStateException("batch refused " + tick.schedule());
    }
    return new LaunchedTraining(tick.schedule().substring(ScheduledTick.RETRAIN_PREFIX.length()), "v", "job", "c/");
  };

  @Test
  void handle_should_retrainEveryModel_when_theRuleNamesNone() throws Exception {
    // given the stack's rule, {project}-retrain
    ScheduledEvents events = new ScheduledEvents(onSchedule, List.of("iris", "digits"));

    // when
    Object answer = events.handle(event("triad-demo-retrain"));

    // then
    assertThat(retrained).containsExactly("retrain-iris", "retrain-digits");
    assertThat(answer).isInstanceOf(List.class);
    assertThat((List<?>) answer).hasSize(2);
  }

  @Test
  void handle_should_retrainOnlyItsModel_when_theRuleIsNamedRetrainModel() throws Exception {
    // given
    ScheduledEvents events = new ScheduledEvents(onSchedule, List.of("iris", "digits"));

    // when
    Object answer = events.handle(event("retrain-digits"));

    // then
    assertThat(retrained).containsExactly("retrain-digits");
    assertThat(answer).isInstanceOf(LaunchedTraining.class);
  }

  @Test
  void handle_should_tryEveryModelAndFail_when_oneSubmissionFails() throws Exception {
    // given
    ScheduledEvents events = new ScheduledEvents(onSchedule, List.of("broken", "iris"));

    // when, then: thrown so EventBridge retries, after iris was still submitted
    assertThatThrownBy(() -> events.handle(event("triad-demo-retrain")))
        .hasMessageContaining("1 of 2 retraining job(s) were not submitted")
        .hasMessageContaining("batch refused retrain-broken");
    assertThat(retrained).containsExactly("retrain-broken", "retrain-iris");
  }

  private static JsonNode event(String rule) throws Exception {
    return new ObjectMapper().readTree("""
        {"detail-type": "Scheduled Event", "time": "2026-11-22T03:00:00Z",
         "resources": ["arn:aws:events:us-east-1:123456789012:rule/%s"]}
        """.formatted(rule));
  }
}
