package io.triad.aws;

import java.util.Locale;

/** Which of the three Lambda functions this instance is; one package serves all three. */
public enum FunctionRole {
  /** API Gateway HTTP API (payload 2.0) or function URL events. */
  HTTP,
  /** S3 event notifications. */
  S3,
  /** EventBridge scheduled events that start retraining. */
  SCHEDULE;

  /** Parses {@code TRIAD_FUNCTION}; fails at init, not at the first event, when it is wrong. */
  public static FunctionRole parse(String value) {
    if (value == null) {
      throw new IllegalStateException(
          "set "
              + AwsSettings.FUNCTION
              + " to http, s3 or schedule, or use a role's own handler class");
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          AwsSettings.FUNCTION + "=" + value + " is not one of http, s3, schedule", e);
    }
  }
}
