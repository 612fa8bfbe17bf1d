package io.triad.models;

import io.triad.functions.inference.Postprocessor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Classification metrics on the holdout rows, from predicted probabilities. */
public record HoldoutMetrics(double accuracy, double logLoss, double macroF1, int rows) {
  private static final double EPSILON = 1e-15;

  public static HoldoutMetrics of(float[][] probabilities, int[] truth, int classes) {
    Accumulator all = new Accumulator(classes);
    all.add(probabilities, truth);
    return all.result();
  }

  /** The same figures gathered batch by batch, for a holdout that is not in memory. */
  public static final class Accumulator {
    private final int classes;
    private final int[] truePositive;
    private final int[] predicted;
    private final int[] actual;
    private double logLoss;
    private int correct;
    private int rows;

    public Accumulator(int classes) {
      this.classes = classes;
      this.truePositive = new int[classes];
      this.predicted = new int[classes];
      this.actual = new int[classes];
    }

    public void add(float[][] probabilities, int[] truth) {
      for (int r = 0; r < truth.length; r++) {
        int best = Postprocessor.argmax(probabilities[r]);
        predicted[best]++;
        actual[truth[r]]++;
        if (best == truth[r]) {
          correct++;
          truePositive[best]++;
        }
        logLoss -= Math.log(Math.max(probabilities[r][truth[r]], EPSILON));
      }
      rows += truth.length;
    }

    public HoldoutMetrics result() {
      double f1Sum = 0;
      for (int c = 0; c < classes; c++) {
        double precision = predicted[c] == 0 ? 0 : (double) truePositive[c] / predicted[c];
        double recall = actual[c] == 0 ? 0 : (double) truePositive[c] / actual[c];
        f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      }
      return new HoldoutMetrics((double) correct / rows, logLoss / rows, f1Sum / classes, rows);
    }
  }

  /** As the manifest names them. */
  public Map<String, Double> asMap() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", accuracy);
    metrics.put("log_loss", logLoss);
    metrics.put("macro_f1", macroF1);
    return metrics;
  }
}
