package io.triad.local;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.LaunchedTraining;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;

/**
 * Fires {@code retrain-{model}} ticks on each model's cron expression (Spring's six-field form,
 * seconds first, in the machine's time zone), as EventBridge, Timer triggers and Cloud Scheduler do
 * on the clouds.
 */
public final class CronTicks implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(CronTicks.class);

  private final Map<String, CronExpression> schedules;
  private final Function<ScheduledTick, LaunchedTraining> onSchedule;
  private final Clock clock;
  private ScheduledExecutorService timer;

  public CronTicks(Map<String, String> cronByModel, Function<ScheduledTick, LaunchedTraining> onSchedule, Clock clock) {
    this.schedules = new java.util.TreeMap<>();
    cronByModel.forEach((model, cron) -> {
      try {
        schedules.put(model, CronExpression.parse(cron));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("triad.models." + model + ".schedule '" + cron + "' is not a cron expression: " + e.getMessage(), e);
      }
    });
    this.onSchedule = onSchedule;
    this.clock = clock;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "triad-cron");
      t.setDaemon(true);
      return t;
    });
    schedules.forEach((model, cron) -> scheduleNext(model, cron, null));
  }

  /**
   * Schedules the first slot after {@code previous} (the slot that just fired, or null) and after
   * now. The tick carries the slot's time, not the clock's: a timer that wakes a millisecond early
   * must neither name the version after the second before nor fire the same slot twice.
   */
  private void scheduleNext(String model, CronExpression cron, ZonedDateTime previous) {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.systemDefault()));
    ZonedDateTime next = cron.next(previous != null && previous.isAfter(now) ? previous : now);
    if (next == null) {
      return;
    }
    long delay = Math.max(0, Duration.between(now, next).toNanos());
    log.info("retraining {} next at {}", model, next);
    timer.schedule(() -> {
      try {
        onSchedule.apply(ScheduledTick.retrain(model, next.toInstant()));
      } catch (RuntimeException e) {
        log.error("scheduled retraining of {} failed to start: {}", model, e.getMessage());
      }
      scheduleNext(model, cron, next);
    }, delay, TimeUnit.NANOSECONDS);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }
}
