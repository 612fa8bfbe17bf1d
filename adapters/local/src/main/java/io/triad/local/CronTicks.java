package io.triad.local;

import io.triad.functions.api.Failure;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.RetrainingReport;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
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

  private final Function<ScheduledTick, RetrainingReport> onSchedule;
  private final Clock clock;
  private final EventRetries retries;
  private ScheduledExecutorService timer;

  public CronTicks(
      Map<String, String> cronByModel,
      Function<ScheduledTick, RetrainingReport> onSchedule,
      Clock clock) {
    this(cronByModel, onSchedule, clock, Duration.ofSeconds(15));
  }

  CronTicks(
      Map<String, String> cronByModel,
      Function<ScheduledTick, RetrainingReport> onSchedule,
      Clock clock,
      Duration retryDelay) {
    this.schedules = new java.util.TreeMap<>();
    cronByModel.forEach(
        (model, cron) -> {
          try {
            schedules.put(model, CronExpression.parse(cron));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "triad.models."
                    + model
                    + ".schedule '"
                    + cron
                    + "' is not a cron expression: "
                    + e.getMessage(),
                e);
          }
        });
    this.onSchedule = onSchedule;
    this.clock = clock;
    // a failed launch is tried 3 more times, retryDelay, then twice and four times as long apart
    this.retries = new EventRetries(retryDelay, retryDelay.multipliedBy(4), 3);
  }

  @Override
  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
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
    timer.schedule(
        () -> {
          fire(ScheduledTick.retrain(model, next.toInstant()));
          scheduleNext(model, cron, next);
        },
        delay,
        TimeUnit.NANOSECONDS);
  }

  /**
   * Runs one tick; a launch that failed is retried with backoff, as a cloud's scheduler redelivers
   * a failed invocation. The retry carries the same slot, so a job already submitted is not again.
   */
  private void fire(ScheduledTick tick) {
    String key = tick.models() + "@" + tick.time();
    try {
      onSchedule.apply(tick).requireLaunched();
      retries.succeeded(key);
    } catch (RuntimeException e) {
      Optional<Duration> delay = retries.after(key, Failure.of(e));
      if (delay.isEmpty()) {
        log.error("retraining {} not started, no more retries: {}", tick.models(), e.getMessage());
        return;
      }
      log.warn(
          "retraining {} not started ({}); retrying in {} ms",
          tick.models(),
          e.getMessage(),
          delay.get().toMillis());
      timer.schedule(() -> fire(tick), delay.get().toMillis(), TimeUnit.MILLISECONDS);
    }
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
