package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.LaunchedTraining;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CronTicksTest {

  @Test
  void start_should_fireRetrainTicks_when_cronComesDue() throws Exception {
    // given a schedule firing every second and a recording onSchedule function
    List<ScheduledTick> ticks = new CopyOnWriteArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    CronTicks cron = new CronTicks(Map.of("iris", "* * * * * *"), tick -> {
      ticks.add(tick);
      two.countDown();
      return new LaunchedTraining("iris", "v", "job", "candidates/iris/v/");
    }, Clock.systemUTC());
    // when it runs
    cron.start();
    try {
      // then it fires retrain-iris repeatedly
      assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      cron.stop();
    }
    assertThat(ticks).extracting(ScheduledTick::schedule).containsOnly("retrain-iris");
  }

  @Test
  void start_should_fireEachSlotOnceWithItsOwnTime_when_theClockReadsEarly() throws Exception {
    // given a clock that falls 20 ms further behind the timer on every reading, as a timer waking
    // early looks to it
    AtomicLong readings = new AtomicLong();
    Clock early = new Clock() {
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
    CronTicks cron = new CronTicks(Map.of("iris", "* * * * * *"), tick -> {
      ticks.add(tick);
      return new LaunchedTraining("iris", "v", "job", "candidates/iris/v/");
    }, early);

    // when it runs for a little over two seconds
    cron.start();
    try {
      Thread.sleep(2300);
    } finally {
      cron.stop();
    }

    // then every tick names a whole second, and no second twice
    assertThat(ticks).isNotEmpty();
    assertThat(ticks).extracting(ScheduledTick::time).allMatch(t -> t.getNano() == 0).doesNotHaveDuplicates();
  }

  @Test
  void constructor_should_nameTheSetting_when_cronIsInvalid() {
    assertThatThrownBy(() -> new CronTicks(Map.of("iris", "every day"), tick -> null, Clock.systemUTC()))
        .hasMessageContaining("triad.models.iris.schedule");
  }
}
