package io.triad.functions.internal.training;

import io.triad.functions.config.GateSettings;
import java.util.Locale;
import java.util.Map;

/** The verdict on one candidate, with the reason in words for the logs and the rejected.json. */
public record GateDecision(boolean promote, String reason, Double candidate, Double current) {

  /**
   * Decides on the candidate's and the served version's metrics (current empty when nothing is
   * served yet).
   */
  public static GateDecision decide(
      GateSettings gate, Map<String, Double> candidate, Map<String, Double> current) {
    return decide(gate, candidate, current, null);
  }

  /**
   * As above; with {@code paired} (accuracy, both scored row by row on the same rows) the candidate
   * loses to the served version only when it is significantly worse at the gate's confidence, not
   * by a fixed tolerance whatever the number of rows.
   */
  public static GateDecision decide(
      GateSettings gate,
      Map<String, Double> candidate,
      Map<String, Double> current,
      PairedComparison paired) {
    return decide(gate, candidate, current, paired, null);
  }

  /**
   * As above; with {@code bootstrap} (any other metric, both scored on the same rows) the candidate
   * loses only when the bootstrap's one-sided bound says it is worse at the gate's confidence.
   */
  public static GateDecision decide(
      GateSettings gate,
      Map<String, Double> candidate,
      Map<String, Double> current,
      PairedComparison paired,
      PairedBootstrap bootstrap) {
    String metric = gate.metric();
    Double value = candidate.get(metric);
    if (value == null) {
      return new GateDecision(false, "the candidate has no " + metric + " to compare", null, null);
    }
    boolean higher = gate.higherIsBetter();
    boolean meetsMinimum = higher ? value >= gate.minimum() : value <= gate.minimum();
    if (!meetsMinimum) {
      return new GateDecision(
          false,
          String.format(
              Locale.ROOT,
              "%s %.4f does not reach the minimum %.4f",
              metric,
              value,
              gate.minimum()),
          value,
          null);
    }
    Double served = current == null ? null : current.get(metric);
    if (served == null) {
      return new GateDecision(
          true,
          String.format(
              Locale.ROOT,
              "%s %.4f reaches the minimum %.4f; nothing served yet",
              metric,
              value,
              gate.minimum()),
          value,
          null);
    }
    if (paired != null && metric.equals("accuracy")) {
      return rowByRow(
          metric,
          value,
          served,
          paired.significantlyWorse(gate.confidence()),
          paired.summary(gate.confidence()));
    }
    if (bootstrap != null && metric.equals(bootstrap.metric())) {
      return rowByRow(metric, value, served, bootstrap.significantlyWorse(), bootstrap.summary());
    }
    double allowed = higher ? served - gate.tolerance() : served + gate.tolerance();
    boolean good = higher ? value >= allowed : value <= allowed;
    String comparison =
        String.format(
            Locale.ROOT,
            "%s %.4f vs served %.4f (tolerance %.4f)",
            metric,
            value,
            served,
            gate.tolerance());
    return new GateDecision(
        good,
        good ? comparison + ": promoted" : comparison + ": worse than the served version",
        value,
        served);
  }

  /** The verdict of a row-by-row comparison: promoted unless significantly worse. */
  private static GateDecision rowByRow(
      String metric, double value, double served, boolean worse, String summary) {
    String comparison =
        String.format(Locale.ROOT, "%s %.4f vs served %.4f, %s", metric, value, served, summary);
    return new GateDecision(
        !worse,
        worse
            ? comparison + ": significantly worse than the served version"
            : comparison + ": not significantly worse; promoted",
        value,
        served);
  }
}
