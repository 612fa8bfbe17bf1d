package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.triad.functions.testing.RetrainingFixture;
import io.triad.functions.training.RetrainingReport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Pub/Sub entry point over the real {@code onSchedule} ({@link RetrainingFixture}: the same
 * tick every runtime is given). The framework's own decoding is {@link ScheduleEntryIT}'s.
 */
class ScheduleEntryTest {
  @TempDir Path bucket;
  private RetrainingFixture fixture;
  private ScheduleEntry entry;

  @BeforeEach
  void start() {
    fixture = new RetrainingFixture(bucket);
    entry = new ScheduleEntry(fixture.context());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void accept_should_launchEveryModelAndSkipTheOneWithoutData_when_theMessageNamesNone() {
    // when
    entry.accept(published("retrain"));

    // then
    assertThat(fixture.submitted()).containsExactly("iris", "penguins");
  }

  @Test
  void accept_should_failTheInvocation_when_theLauncherRefusesAModel() {
    // given
    fixture.refusePenguins();

    // when, then: thrown so Pub/Sub redelivers; iris was still submitted
    assertThatThrownBy(() -> entry.accept(published("{\"schedule\":\"retrain\"}")))
        .isInstanceOf(RetrainingReport.RetrainingFailed.class)
        .hasMessageContaining("penguins");
    assertThat(fixture.submitted()).containsExactly("iris");
  }

  /** A Cloud Scheduler message as Eventarc delivers it. */
  private static CloudEvent published(String message) {
    String data = Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
    String body =
        "{\"message\":{\"data\":\""
            + data
            + "\",\"messageId\":\"1\",\"publishTime\":\"2026-11-22T03:00:00.000Z\"}}";
    return CloudEventBuilder.v1()
        .withId("1")
        .withSource(URI.create("//pubsub.googleapis.com/projects/triad-prod/topics/triad-retrain"))
        .withType(ScheduleEvents.PUBLISHED)
        .withTime(OffsetDateTime.parse("2026-11-22T03:00:00Z"))
        .withData("application/json", body.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
