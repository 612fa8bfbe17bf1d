package io.triad.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FixedDelayRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.RetrainingReport;
import io.triad.settings.AzureContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.Function;
import org.springframework.scheduling.support.CronExpression;

/**
 * The retraining timer: one tick retrains every model in the catalog, one Azure Batch job each. A
 * model that could not be submitted fails the invocation, so the host records (and alerts on) it
 * and runs it again (its retry policy). Its NCRONTAB (with seconds) is the app setting {@code
 * TRIAD_RETRAIN_SCHEDULE}, which infra sets from the configured cron; the host resolves {@code
 * %TRIAD_RETRAIN_SCHEDULE%} at start and will not run the timer without it.
 *
 * <p>The tick is the schedule's slot, not the clock's time: the latest time the NCRONTAB names at
 * or before now (UTC, the host's default). The timer's payload carries no time of its own, and a
 * slot the host runs again (its retry policy re-runs a failed invocation, a restart runs a past-due
 * one) must be the same tick, so that the version it claims is the same and no second job starts.
 */
public final class ScheduleEntry {
  /** The binding expression, not a schedule: the setting's value is the schedule. */
  public static final String SCHEDULE = AzureContract.RETRAIN_SCHEDULE_BINDING;

  private final Function<ScheduledTick, RetrainingReport> onSchedule;
  private final Clock clock;
  private final CronExpression schedule;

  /**
   * @param ncrontab the timer's schedule ({@code TRIAD_RETRAIN_SCHEDULE}); null or blank, and each
   *     tick is the clock's time
   */
  public ScheduleEntry(
      Function<ScheduledTick, RetrainingReport> onSchedule, Clock clock, String ncrontab) {
    this.onSchedule = onSchedule;
    this.clock = clock;
    this.schedule = ncrontab == null || ncrontab.isBlank() ? null : CronExpression.parse(ncrontab);
  }

  /**
   * A failed tick (a model not submitted) is run again by the host, three times five minutes apart:
   * the same slot, so versions already claimed are not submitted twice.
   */
  @FunctionName(AzureContract.SCHEDULE_FUNCTION)
  @FixedDelayRetry(maxRetryCount = 3, delayInterval = "00:05:00")
  public void run(
      @TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
    Instant now = clock.instant();
    RetrainingReport report =
        onSchedule.apply(ScheduledTick.everyModel(schedule == null ? now : slot(schedule, now)));
    context.getLogger().info("retraining tick: " + report.results());
    report.requireLaunched();
  }

  /** The latest time {@code cron} names at or before {@code now}, in UTC; now if none in a year. */
  static Instant slot(CronExpression cron, Instant now) {
    ZonedDateTime at = now.atZone(ZoneOffset.UTC);
    for (Duration back = Duration.ofSeconds(1);
        back.compareTo(Duration.ofDays(400)) <= 0;
        back = back.multipliedBy(2)) {
      ZonedDateTime slot = cron.next(at.minus(back));
      if (slot != null && !slot.isAfter(at)) {
        for (ZonedDateTime later = cron.next(slot);
            later != null && !later.isAfter(at);
            later = cron.next(slot)) {
          slot = later;
        }
        return slot.toInstant();
      }
    }
    return now;
  }
}
