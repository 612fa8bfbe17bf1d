package io.triad.functions.internal.evaluation;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/** The metrics of one evaluation: classification or regression, told apart by {@code task}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "task")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ClassificationResult.class, name = "classification"),
  @JsonSubTypes.Type(value = RegressionResult.class, name = "regression")
})
public sealed interface EvaluationMetrics permits ClassificationResult, RegressionResult {

  long rows();

  /**
   * The flat metrics a promotion gate compares, keyed {@code accuracy}, {@code macro_f1}, {@code
   * log_loss}, {@code roc_auc} or {@code mae}, {@code rmse}, {@code r2}. A metric that is undefined
   * for this data (AUC with a single class present, R² of a constant target) is absent, never NaN.
   */
  Map<String, Double> headline();

  /** NaN and infinities become null, so that JSON output stays valid. */
  static Double finiteOrNull(Double value) {
    return value == null || !Double.isFinite(value) ? null : value;
  }
}
