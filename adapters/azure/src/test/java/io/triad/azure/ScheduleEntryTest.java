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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.scheduling.support.CronExpression;

/**
 * The timer entry point over the real {@code onSchedule} ({@link RetrainingFixture}: the same tick
 * every runtime is given); the host's context is a test double, as no Functions host runs here.
 */
class ScheduleEntryTest {
  private static final Clock TICK =
      Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);

  private static final String DAILY = "0 0 3 * * *";

  @TempDir Path bucket;
  private RetrainingFixture fixture;
  private ScheduleEntry timer;

  @BeforeEach
  void start() {
    fixture = new RetrainingFixture(bucket);
    timer = new ScheduleEntry(fixture.onSchedule(), TICK, DAILY);
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

  @Test
  void run_should_submitEachModelOnce_when_theHostRunsTheSameSlotThreeTimesAtOnce()
      throws Exception {
    // given: three runs of the 03:00 slot (a retry, a past-due run), each at its own clock time
    List<ScheduleEntry> runs =
        Stream.of("2026-11-22T03:00:00.200Z", "2026-11-22T03:00:01Z", "2026-11-22T03:00:40Z")
            .map(t -> new ScheduleEntry(fixture.onSchedule(), at(t), DAILY))
            .toList();
    ExecutorService host = Executors.newFixedThreadPool(3);

    // when
    try {
      List<Future<?>> done = new ArrayList<>();
      runs.forEach(run -> done.add(host.submit(() -> run.run("{}", new Invocation("onSchedule")))));
      for (Future<?> run : done) {
        run.get(30, TimeUnit.SECONDS);
      }
    } finally {
      host.shutdownNow();
    }

    // then: once each, in whichever order the three runs' threads submitted them
    assertThat(fixture.submitted()).containsExactlyInAnyOrder("iris", "penguins");
  }

  @Test
  void slot_should_beTheLatestTimeTheScheduleNames_atOrBeforeNow() {
    assertThat(
            ScheduleEntry.slot(
                CronExpression.parse(DAILY), Instant.parse("2026-11-22T03:00:40.500Z")))
        .isEqualTo(Instant.parse("2026-11-22T03:00:00Z"));
    assertThat(
            ScheduleEntry.slot(CronExpression.parse(DAILY), Instant.parse("2026-11-22T03:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-22T03:00:00Z"));
    assertThat(
            ScheduleEntry.slot(CronExpression.parse(DAILY), Instant.parse("2026-11-22T02:59:59Z")))
        .isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
    assertThat(
            ScheduleEntry.slot(
                CronExpression.parse("*/10 * * * * *"), Instant.parse("2026-11-22T12:00:05.700Z")))
        .isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
  }

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }
}
