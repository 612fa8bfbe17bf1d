package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.testing.RetrainingFixture;
import io.triad.functions.training.RetrainResult;
import io.triad.functions.training.RetrainingReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EventBridge events through the schedule entry point to the real {@code onSchedule}: the stack's
 * one rule retrains every model in the catalog, a {@code retrain-{model}} rule its own ({@link
 * RetrainingFixture}: the same tick every runtime is given).
 */
class ScheduleEventsTest {
  @TempDir Path bucket;
  private RetrainingFixture fixture;
  private ScheduleEvents events;

  @BeforeEach
  void start() {
    fixture = new RetrainingFixture(bucket);
    events = new ScheduleEvents(fixture.onSchedule());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void handle_should_launchEveryModelAndSkipOneWithoutData_when_theRuleNamesNone()
      throws Exception {
    // when: the stack's rule, {project}-retrain
    Object answer = events.handle(event("every-model.json"));

    // then
    assertThat(answer).isInstanceOf(RetrainingReport.class);
    RetrainingFixture.assertSkippedDigitsLaunchedTheOthers((RetrainingReport) answer);
    assertThat(fixture.submitted()).containsExactly("iris", "penguins");
  }

  @Test
  void handle_should_retrainOnlyItsModel_when_theRuleIsNamedRetrainModel() throws Exception {
    // when
    RetrainingReport report = (RetrainingReport) events.handle(event("retrain-iris.json"));

    // then
    assertThat(report.results()).singleElement().isInstanceOf(RetrainResult.Launched.class);
    assertThat(fixture.submitted()).containsExactly("iris");
  }

  @Test
  void handle_should_failTheInvocation_when_theLauncherRefusesAModel() throws Exception {
    // given
    fixture.refusePenguins();

    // when, then: thrown so EventBridge retries, after iris was still submitted
    assertThatThrownBy(() -> events.handle(event("every-model.json")))
        .isInstanceOf(RetrainingReport.RetrainingFailed.class)
        .hasMessageContaining("penguins");
    assertThat(fixture.submitted()).containsExactly("iris");
  }

  private static JsonNode event(String name) throws IOException {
    try (InputStream in =
        ScheduleEventsTest.class.getResourceAsStream("/events/aws/eventbridge/" + name)) {
      return TriadJson.mapper().readTree(in);
    }
  }
}
