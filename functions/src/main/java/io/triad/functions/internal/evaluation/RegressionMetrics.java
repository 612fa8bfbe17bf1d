package io.triad.functions.internal.evaluation;

/**
 * Streaming accumulator for regression metrics in constant memory: running sums of absolute and
 * squared errors, and Welford's running mean and sum of squares of the actual values for R².
 *
 * <p>Not thread-safe: feed one instance from one thread.
 */
public final class RegressionMetrics {

  private long rows;
  private double absoluteErrorSum;
  private double squaredErrorSum;
  private double actualMean;
  private double actualSquaredDeviations;

  /**
   * Adds one row.
   *
   * @throws IllegalArgumentException when either value is NaN or infinite
   */
  public void add(double actual, double predicted) {
    if (!Double.isFinite(actual) || !Double.isFinite(predicted)) {
      throw new IllegalArgumentException(
          "actual and predicted must be finite, got " + actual + " and " + predicted);
    }
    double error = predicted - actual;
    absoluteErrorSum += Math.abs(error);
    squaredErrorSum += error * error;
    rows++;
    double delta = actual - actualMean;
    actualMean += delta / rows;
    actualSquaredDeviations += delta * (actual - actualMean);
  }

  public long rows() {
    return rows;
  }

  /**
   * The metrics so far; R² is null when every actual value is the same.
   *
   * @throws IllegalStateException when no row was added
   */
  public RegressionResult result() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added");
    }
    Double r2 = actualSquaredDeviations == 0 ? null : 1 - squaredErrorSum / actualSquaredDeviations;
    return new RegressionResult(
        rows, absoluteErrorSum / rows, Math.sqrt(squaredErrorSum / rows), r2);
  }
}
