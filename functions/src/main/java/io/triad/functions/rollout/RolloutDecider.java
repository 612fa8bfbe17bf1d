package io.triad.functions.rollout;

import io.triad.functions.config.RolloutSettings;
import java.time.Duration;

/**
 * The rules, from figures to a verdict, apart from any store. A failure rate is judged with a
 * one-sided 95% Wilson interval, so a handful of requests neither rolls back a sound version on one
 * unlucky failure nor keeps a broken one for long: a canary failing everything is rolled back after
 * {@value #MIN_FAILURES} failures.
 */
public final class RolloutDecider {

  /** Failures needed before any rollback for failures. */
  static final int MIN_FAILURES = 3;

  /** Requests needed before a 99th percentile is judged. */
  static final int P99_REQUESTS = 100;

  /** Shadow copies needed before agreement is judged. */
  static final int AGREEMENT_COPIES = 20;

  private static final double Z = 1.645;

  private RolloutDecider() {}

  /** What to do: keep watching, promote the canary, or roll back. */
  public enum Action {
    HOLD,
    PROMOTE,
    ROLL_BACK
  }

  public record Verdict(Action action, String reason) {
    static Verdict hold(String reason) {
      return new Verdict(Action.HOLD, reason);
    }
  }

  /** A canary named for {@code named}, with {@code figures} since its alias was written. */
  public static Verdict canary(RolloutSettings bounds, Figures figures, Duration named) {
    String broken = broken(bounds, figures);
    if (broken != null) {
      return new Verdict(Action.ROLL_BACK, broken);
    }
    if (figures.requests() < bounds.minRequests()) {
      return Verdict.hold(figures.requests() + " of " + bounds.minRequests() + " requests");
    }
    if (named.compareTo(bounds.minDuration()) < 0) {
      return Verdict.hold("named for " + named.toSeconds() + " s of " + bounds.minDuration());
    }
    if (figures.errorRate() > bounds.maxErrorRate()) {
      return Verdict.hold(
          "error rate " + percent(figures.errorRate()) + " over " + percent(bounds.maxErrorRate()));
    }
    if (figures.p99Millis() > bounds.maxP99().toMillis()) {
      return Verdict.hold("p99 " + millis(figures.p99Millis()) + " over " + bounds.maxP99());
    }
    if (figures.compared() > 0 && figures.agreement() < bounds.minAgreement()) {
      return Verdict.hold(
          "shadow agreement "
              + percent(figures.agreement())
              + " under "
              + percent(bounds.minAgreement()));
    }
    return new Verdict(
        Action.PROMOTE,
        figures.requests()
            + " requests over "
            + named.toSeconds()
            + " s within bounds: error rate "
            + percent(figures.errorRate())
            + ", p99 "
            + millis(figures.p99Millis())
            + (figures.compared() > 0 ? ", shadow agreement " + percent(figures.agreement()) : ""));
  }

  /**
   * A fresh promotion, with {@code figures} since the production alias moved and {@code drift} the
   * drift found since then (null when none was measured or none found).
   */
  public static Verdict promotion(RolloutSettings bounds, Figures figures, String drift) {
    if (drift != null) {
      return new Verdict(Action.ROLL_BACK, drift);
    }
    String broken = broken(bounds, figures);
    return broken != null
        ? new Verdict(Action.ROLL_BACK, broken)
        : Verdict.hold("within bounds after " + figures.requests() + " requests");
  }

  /** Which bound {@code figures} break with confidence, or null. */
  static String broken(RolloutSettings bounds, Figures figures) {
    if (figures.failures() >= MIN_FAILURES
        && lower(figures.failures(), figures.requests()) > bounds.maxErrorRate()) {
      return figures.failures()
          + " of "
          + figures.requests()
          + " requests failed ("
          + percent(figures.errorRate())
          + "; at least "
          + percent(lower(figures.failures(), figures.requests()))
          + " with 95% confidence, over the bound of "
          + percent(bounds.maxErrorRate())
          + ")";
    }
    if (figures.requests() >= P99_REQUESTS && figures.p99Millis() > bounds.maxP99().toMillis()) {
      return "p99 "
          + millis(figures.p99Millis())
          + " over the bound of "
          + bounds.maxP99().toMillis()
          + " ms after "
          + figures.requests()
          + " requests";
    }
    if (figures.compared() >= AGREEMENT_COPIES
        && upper(figures.agree(), figures.compared()) < bounds.minAgreement()) {
      return "shadow agreement "
          + percent(figures.agreement())
          + " over "
          + figures.compared()
          + " copies (at most "
          + percent(upper(figures.agree(), figures.compared()))
          + " with 95% confidence), under the bound of "
          + percent(bounds.minAgreement());
    }
    return null;
  }

  /** The one-sided 95% Wilson lower bound of {@code k} in {@code n}. */
  static double lower(long k, long n) {
    return wilson(k, n, -1);
  }

  /** The one-sided 95% Wilson upper bound of {@code k} in {@code n}. */
  static double upper(long k, long n) {
    return wilson(k, n, 1);
  }

  private static double wilson(long k, long n, int sign) {
    if (n == 0) {
      return sign < 0 ? 0 : 1;
    }
    double p = (double) k / n;
    double z2 = Z * Z;
    double centre = p + z2 / (2.0 * n);
    double spread = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return Math.max(0, Math.min(1, (centre + sign * spread) / (1 + z2 / n)));
  }

  private static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.2f%%", share * 100);
  }

  private static String millis(double millis) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", millis);
  }
}
