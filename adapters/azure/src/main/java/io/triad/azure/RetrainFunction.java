package io.triad.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** The retraining timer: daily at 03:00 UTC, the local runtime's default schedule. */
public final class RetrainFunction {
  /** NCRONTAB with seconds, as the Timer trigger reads it. */
  public static final String SCHEDULE = "0 0 3 * * *";

  private final ScheduledRetraining retraining;

  public RetrainFunction(ScheduledRetraining retraining) {
    this.retraining = retraining;
  }

  @FunctionName("onSchedule")
  public void run(@TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
    retraining.tick(context.getLogger());
  }
}
