package io.triad.aws;

/**
 * {@code io.triad.aws.ScheduleHandler::handleRequest}: the schedule function, whatever {@code
 * TRIAD_FUNCTION} says.
 */
public final class ScheduleHandler extends TriadHandler {
  public ScheduleHandler() {
    super(FunctionRole.SCHEDULE);
  }
}
