package io.triad.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.RetrainingReport;
import io.triad.settings.AzureContract;
import java.time.Clock;
import java.util.function.Function;

/**
 * The retraining timer: one tick retrains every model in the catalog, one Azure Batch job each. A
 * model that could not be submitted fails the invocation, so the host records (and alerts on) it.
 * Its NCRONTAB (with seconds) is the app setting {@code TRIAD_RETRAIN_SCHEDULE}, which infra sets
 * from the configured cron; the host resolves {@code %TRIAD_RETRAIN_SCHEDULE%} at start and will
 * not run the timer without it.
 */
public final class ScheduleEntry {
  /** The binding expression, not a schedule: the setting's value is the schedule. */
  public static final String SCHEDULE = AzureContract.RETRAIN_SCHEDULE_BINDING;

  private final Function<ScheduledTick, RetrainingReport> onSchedule;
  private final Clock clock;

  public ScheduleEntry(Function<ScheduledTick, RetrainingReport> onSchedule, Clock clock) {
    this.onSchedule = onSchedule;
    this.clock = clock;
  }

  @FunctionName(AzureContract.SCHEDULE_FUNCTION)
  public void run(
      @TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
    RetrainingReport report = onSchedule.apply(ScheduledTick.everyModel(clock.instant()));
    context.getLogger().info("retraining tick: " + report.results());
    report.requireLaunched();
  }
}
