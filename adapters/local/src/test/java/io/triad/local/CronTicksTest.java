package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.testing.RetrainingFixture;
import io.triad.functions.training.RetrainingReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronTicksTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Daily at 03:00 in the machine's zone; {@link #justBefore3am()} makes it fire once, 100 ms after
   * start.
   */
  private static final String THREE_AM = "0 0 3 * * *";

  @TempDir Path bucket;

  @Test
  void start_should_fireRetrainTicks_when_cronComesDue() throws Exception {
    // given a schedule firing every second and a recording onSchedule function
    List<ScheduledTick> ticks = new CopyOnWriteArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    CronTicks cron =
        new CronTicks(Map.of("iris", "* * * * * *"), recording(ticks, two), Clock.systemUTC());
    // when it runs
    cron.start();
    try {
      // then it fires retrain-iris repeatedly
      assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      cron.stop();
    }
    assertThat(ticks).extracting(ScheduledTick::models).containsOnly(List.of("iris"));
  }

  @Test
  void start_should_fireEachSlotOnceWithItsOwnTime_when_theClockReadsEarly() throws Exception {
    // given a clock that falls 20 ms further behind the timer on every reading, as a timer waking
    // early looks to it
    AtomicLong readings = new AtomicLong();
    Clock early =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.now().minusMillis(20 * readings.incrementAndGet());
          }
        };
    List<ScheduledTick> ticks = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    CronTicks cron = new CronTicks(Map.of("iris", "* * * * * *"), recording(ticks, three), early);

    // when it has fired three times
    cron.start();
    try {
      assertThat(three.await(6, TimeUnit.SECONDS)).isTrue();
    } finally {
      cron.stop();
    }

    // then every tick names a whole second, and no second twice
    assertThat(ticks)
        .extracting(ScheduledTick::time)
        .allMatch(t -> t.getNano() == 0)
        .doesNotHaveDuplicates();
  }

  @Test
  void start_should_launchEveryModelAndSkipTheOneWithoutData_when_theirSlotComes()
      throws Exception {
    // given the shared retraining fixture, every catalog model on the same daily slot
    try (RetrainingFixture fixture = new RetrainingFixture(bucket)) {
      CronTicks cron = everyModelAt3am(fixture);

      // when the slot comes
      cron.start();
      try {
        LocalClient.await(
            "iris and penguins submitted", () -> fixture.submitted().size() == 2, WAIT);
      } finally {
        cron.stop();
      }

      // then digits, which has no data, is skipped (and logged) while the others launch
      assertThat(fixture.submitted()).containsExactlyInAnyOrder("iris", "penguins");
    }
  }

  @Test
  void start_should_retryWithBackoffAndLaunchOnce_when_theLauncherRefusesAModel() throws Exception {
    // given the launcher refuses penguins
    try (RetrainingFixture fixture = new RetrainingFixture(bucket)) {
      fixture.refusePenguins();
      CronTicks cron = everyModelAt3am(fixture);

      // when the slot comes and the launch is retried at least once, then the service recovers
      cron.start();
      try {
        LocalClient.await("penguins refused twice", () -> fixture.refusals() >= 2, WAIT);
        fixture.allowPenguins();
        LocalClient.await(
            "penguins submitted", () -> fixture.submitted().contains("penguins"), WAIT);
      } finally {
        cron.stop();
      }

      // then each model was submitted once for the slot
      assertThat(fixture.submitted()).containsExactlyInAnyOrder("iris", "penguins");
    }
  }

  @Test
  void constructor_should_nameTheSetting_when_cronIsInvalid() {
    assertThatThrownBy(
            () -> new CronTicks(Map.of("iris", "every day"), tick -> null, Clock.systemUTC()))
        .hasMessageContaining("triad.models.iris.schedule");
  }

  private static CronTicks everyModelAt3am(RetrainingFixture fixture) {
    Map<String, String> crons = new LinkedHashMap<>();
    RetrainingFixture.CATALOG.forEach(model -> crons.put(model, THREE_AM));
    return new CronTicks(crons, fixture.onSchedule(), justBefore3am(), Duration.ofMillis(50));
  }

  /**
   * A clock stopped 100 ms before 03:00 in the machine's zone: the daily slot fires once, at once.
   */
  private static Clock justBefore3am() {
    Instant slot =
        LocalDate.of(2026, 11, 22)
            .atTime(LocalTime.of(3, 0))
            .atZone(ZoneId.systemDefault())
            .toInstant();
    return Clock.fixed(slot.minusMillis(100), ZoneId.systemDefault());
  }

  private static Function<ScheduledTick, RetrainingReport> recording(
      List<ScheduledTick> ticks, CountDownLatch latch) {
    return tick -> {
      ticks.add(tick);
      latch.countDown();
      return new RetrainingReport(tick.time(), List.of());
    };
  }
}
