package io.triad.aws;

/**
 * {@code io.triad.aws.ScheduleEntry::handleRequest}: the schedule function, whatever {@code
 * TRIAD_FUNCTION} says.
 */
public final class ScheduleEntry extends LambdaEntry {
  public ScheduleEntry() {
    super(FunctionRole.SCHEDULE);
  }
}
