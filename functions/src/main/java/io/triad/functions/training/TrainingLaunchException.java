package io.triad.functions.training;

/**
 * The job could not be submitted; the served model is untouched. Its {@link #refusal} says why, so
 * a placement can move on to the next target and record the reason.
 */
public class TrainingLaunchException extends RuntimeException {

  /** Why a batch service did not take a job. */
  public enum Refusal {
    /** No machines of the kind asked for (a stockout, no spot capacity). */
    CAPACITY,
    /** A quota or rate limit of the account (jobs, GPUs, calls a second). */
    QUOTA,
    /** The service failed or did not answer. */
    SERVICE,
    /** The service refused the request itself (invalid, not allowed, not found). */
    REJECTED,
    /** This runtime cannot launch there (no launcher for the cloud, region or machine kind). */
    UNAVAILABLE;

    /** The lower-case word {@code launch.json} and the trainer's arguments use. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Refusal refusal;

  public TrainingLaunchException(Refusal refusal, String message, Throwable cause) {
    super(message, cause);
    this.refusal = refusal;
  }

  public TrainingLaunchException(Refusal refusal, String message) {
    this(refusal, message, null);
  }

  public TrainingLaunchException(String message, Throwable cause) {
    this(Refusal.SERVICE, message, cause);
  }

  public TrainingLaunchException(String message) {
    this(Refusal.SERVICE, message, null);
  }

  public Refusal refusal() {
    return refusal;
  }
}
