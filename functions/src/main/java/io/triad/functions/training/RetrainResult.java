package io.triad.functions.training;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What one model's retraining came to on one tick. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RetrainResult.Launched.class, name = "launched"),
  @JsonSubTypes.Type(value = RetrainResult.Skipped.class, name = "skipped"),
  @JsonSubTypes.Type(value = RetrainResult.Failed.class, name = "failed")
})
public sealed interface RetrainResult
    permits RetrainResult.Launched, RetrainResult.Skipped, RetrainResult.Failed {
  String model();

  /**
   * A job was submitted (or had been, by an earlier delivery of the same tick); it writes {@code
   * candidatePrefix}.
   */
  record Launched(String model, String version, String jobId, String candidatePrefix)
      implements RetrainResult {}

  /** Nothing to do, and retrying would not change that (no training data, not a model name). */
  record Skipped(String model, String reason) implements RetrainResult {}

  /**
   * The job could not be submitted (launcher or storage fault); the tick fails so the platform
   * retries it.
   */
  record Failed(String model, String reason) implements RetrainResult {}
}
