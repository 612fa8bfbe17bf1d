package io.triad.functions.training;

import java.time.Instant;
import java.util.List;

/** One tick's answer: a result per model, in the order the models were taken. */
public record RetrainingReport(Instant time, List<RetrainResult> results) {
  public RetrainingReport {
    results = List.copyOf(results);
  }

  public List<RetrainResult.Launched> launched() {
    return only(RetrainResult.Launched.class);
  }

  public List<RetrainResult.Skipped> skipped() {
    return only(RetrainResult.Skipped.class);
  }

  public List<RetrainResult.Failed> failed() {
    return only(RetrainResult.Failed.class);
  }

  /**
   * Returns this report if no launch failed; otherwise throws, so the platform retries the tick (a
   * model launched by this delivery is not launched twice: the retry finds its job).
   */
  public RetrainingReport requireLaunched() {
    List<RetrainResult.Failed> failed = failed();
    if (!failed.isEmpty()) {
      StringBuilder causes = new StringBuilder();
      failed.forEach(
          f ->
              causes
                  .append(causes.length() == 0 ? "" : "; ")
                  .append(f.model())
                  .append(": ")
                  .append(f.reason()));
      throw new RetrainingFailed(
          failed.size() + " of " + results.size() + " retraining job(s) not submitted: " + causes);
    }
    return this;
  }

  private <T extends RetrainResult> List<T> only(Class<T> type) {
    return results.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** A tick that must be retried: at least one job could not be submitted. */
  public static final class RetrainingFailed extends RuntimeException {
    RetrainingFailed(String message) {
      super(message);
    }
  }
}
