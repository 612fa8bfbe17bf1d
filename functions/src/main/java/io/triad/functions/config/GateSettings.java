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
 * @param confidence both versions are scored row by row on the same rows, and the candidate is
 *     rejected only when it is worse with this confidence (0.95): McNemar's exact test for
 *     accuracy, a paired bootstrap (1,000 resamples of the rows) for the other metrics; {@code
 *     tolerance} applies only where no row-by-row comparison can be made
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
