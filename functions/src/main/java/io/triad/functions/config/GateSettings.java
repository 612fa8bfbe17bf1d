package io.triad.functions.config;

import java.util.Set;

/**
 * When a candidate may replace the served version.
 *
 * @param metric the metric compared: accuracy, macro_f1, roc_auc, log_loss, mae, rmse or r2
 * @param minimum the value the candidate must reach on its own (a maximum for lower-is-better
 *     metrics such as log_loss)
 * @param tolerance how much worse than the served version the candidate may be and still win
 * @param dataset the labelled data both are evaluated on; null means the candidate's own {@code
 *     holdout.csv}
 * @param confidence for accuracy, scored row by row on the same rows: the candidate is rejected
 *     only when McNemar's test says it is worse with this confidence (0.95); {@code tolerance} then
 *     does not apply
 */
public record GateSettings(
    String metric, Double minimum, Double tolerance, String dataset, Double confidence) {
  private static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "mae", "rmse");

  public GateSettings {
    metric = metric == null ? "accuracy" : metric;
    minimum =
        minimum == null
            ? (LOWER_IS_BETTER.contains(metric) ? Double.POSITIVE_INFINITY : 0.9)
            : minimum;
    tolerance = tolerance == null ? 0.0 : tolerance;
    confidence = confidence == null ? 0.95 : confidence;
  }

  public static GateSettings defaults() {
    return new GateSettings(null, null, null, null, null);
  }

  public boolean higherIsBetter() {
    return !LOWER_IS_BETTER.contains(metric);
  }
}
