package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.functions.testing.RetrainingFixture;
import io.triad.functions.training.RetrainingReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timer entry point over the real {@code onSchedule} ({@link RetrainingFixture}: the same tick
 * every runtime is given); the host's context is a test double, as no Functions host runs here.
 */
class ScheduleEntryTest {
  private static final Clock TICK =
      Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);

  @TempDir Path bucket;
  private RetrainingFixture fixture;
  private ScheduleEntry timer;

  @BeforeEach
  void start() {
    fixture = new RetrainingFixture(bucket);
    timer = new ScheduleEntry(fixture.onSchedule(), TICK);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void run_should_launchEveryModelAndReportTheOneWithoutData_when_theTimerFires() {
    // when
    Invocation invocation = new Invocation("onSchedule");
    timer.run("{\"isPastDue\":false}", invocation);

    // then
    assertThat(fixture.submitted()).containsExactly("iris", "penguins");
    assertThat(invocation.logged())
        .anyMatch(
            l ->
                l.contains(
                    "Skipped[model=digits, reason=no training data at data/digits/train.csv]"));
  }

  @Test
  void run_should_failTheInvocation_when_theLauncherRefusesAModel() {
    // given
    fixture.refusePenguins();

    // when, then: the host records the failure and retries; iris was still submitted
    assertThatThrownBy(() -> timer.run("{\"isPastDue\":false}", new Invocation("onSchedule")))
        .isInstanceOf(RetrainingReport.RetrainingFailed.class)
        .hasMessageContaining("penguins");
    assertThat(fixture.submitted()).containsExactly("iris");
  }
}
