package io.triad.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The exported model against the trained network on every held-out row, streamed from the spool a
 * batch at a time: the largest probability difference, the rows whose class differs, and the
 * holdout metrics from ONNX Runtime's probabilities (what serving will answer).
 */
record HoldoutCheck(double maxAbsDiff, int disagreements, HoldoutMetrics metrics) {
  private static final int BATCH_BYTES = 4 << 20;

  /**
   * @param onnx ONNX Runtime's probabilities for raw rows
   * @param djl the trained network's probabilities for the same raw rows
   */
  static HoldoutCheck run(
      SpooledData data, UnaryOperator<float[][]> onnx, UnaryOperator<float[][]> djl) {
    int batchRows = Math.max(1, Math.min(512, BATCH_BYTES / (Float.BYTES * data.width())));
    HoldoutMetrics.Accumulator metrics = new HoldoutMetrics.Accumulator(data.labels().size());
    double[] maxDiff = {0};
    int[] disagreements = {0};
    List<float[]> x = new ArrayList<>(batchRows);
    List<Integer> y = new ArrayList<>(batchRows);
    Runnable flush =
        () -> {
          float[][] rows = x.toArray(float[][]::new);
          int[] truth = y.stream().mapToInt(Integer::intValue).toArray();
          float[][] ort = onnx.apply(rows);
          float[][] network = djl.apply(rows);
          maxDiff[0] = Math.max(maxDiff[0], OnnxScorer.maxAbsDiff(ort, network));
          disagreements[0] += OnnxScorer.classDisagreements(ort, network);
          metrics.add(ort, truth);
          x.clear();
          y.clear();
        };
    data.forEach(
        false,
        (features, label, fingerprint) -> {
          x.add(features);
          y.add(label);
          if (x.size() == batchRows) {
            flush.run();
          }
          return true;
        });
    if (!x.isEmpty()) {
      flush.run();
    }
    return new HoldoutCheck(maxDiff[0], disagreements[0], metrics.result());
  }
}
