package io.triad.functions.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What handling one object event did. Exactly one of these; every runtime logs it the same way. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "outcome")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Outcome.Written.class, name = "written"),
  @JsonSubTypes.Type(value = Outcome.Ignored.class, name = "ignored"),
  @JsonSubTypes.Type(value = Outcome.Failed.class, name = "failed"),
  @JsonSubTypes.Type(value = Outcome.Promoted.class, name = "promoted"),
  @JsonSubTypes.Type(value = Outcome.Rejected.class, name = "rejected")
})
public sealed interface Outcome {
  String key();

  /** Outputs were written for {@code key}. */
  record Written(String key, List<String> outputs, long rows) implements Outcome {}

  /** The key is not a trigger (an output of ours, an unsupported prefix), or it is gone. */
  record Ignored(String key, String reason) implements Outcome {}

  /** The input could not be processed; a copy and the error sit under {@code failed/}. */
  record Failed(String key, String failedKey, String error) implements Outcome {}

  /** A candidate passed the gate and is now the served version. */
  record Promoted(String key, String model, String version, String reason) implements Outcome {}

  /** A candidate did not pass the gate; the served version is untouched. */
  record Rejected(String key, String model, String version, String reason) implements Outcome {}
}
