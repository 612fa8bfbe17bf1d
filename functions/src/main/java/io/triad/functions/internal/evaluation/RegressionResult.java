package io.triad.functions.internal.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics over {@code rows} rows.
 *
 * @param r2 coefficient of determination; null when the actual values have no variance
 */
public record RegressionResult(long rows, double mae, double rmse, Double r2)
    implements EvaluationMetrics {

  public RegressionResult {
    r2 = EvaluationMetrics.finiteOrNull(r2);
  }

  @Override
  public Map<String, Double> headline() {
    Map<String, Double> headline = new LinkedHashMap<>();
    headline.put("mae", mae);
    headline.put("rmse", rmse);
    if (r2 != null) {
      headline.put("r2", r2);
    }
    return Collections.unmodifiableMap(headline);
  }
}
