package io.triad.functions.training;

/** The job could not be submitted; the served model is untouched. */
public class TrainingLaunchException extends RuntimeException {
  public TrainingLaunchException(String message, Throwable cause) {
    super(message, cause);
  }

  public TrainingLaunchException(String message) {
    super(message);
  }
}
