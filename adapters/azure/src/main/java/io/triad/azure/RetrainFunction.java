package io.triad.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.triad.settings.AzureContract;

/**
 * The retraining timer. Its NCRONTAB (with seconds) is the app setting {@code TRIAD_RETRAIN_SCHEDULE},
 * which infra sets from the configured cron; the host resolves {@code %TRIAD_RETRAIN_SCHEDULE%} at
 * start and will not run the timer without it.
 */
public final class RetrainFunction {
  /** The binding expression, not a schedule: the setting's value is the schedule. */
  public static final String SCHEDULE = AzureContract.RETRAIN_SCHEDULE_BINDING;

  private final ScheduledRetraining retraining;

  public RetrainFunction(ScheduledRetraining retraining) {
    this.retraining = retraining;
  }

  @FunctionName(AzureContract.SCHEDULE_FUNCTION)
  public void run(@TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
    retraining.tick(context.getLogger());
  }
}
