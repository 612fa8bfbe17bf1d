package io.triad.functions.internal.evaluation;

import io.triad.functions.inference.Postprocessor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What a model answered on each row of an evaluation, in row order: the class scores and the true
 * class of a classifier, or the prediction and the truth of a regressor. Two versions' outcomes on
 * the same rows are what a paired comparison resamples. Memory: one score vector per row.
 */
public final class RowOutcomes {
  private final List<float[]> scores = new ArrayList<>();
  private final List<Integer> classes = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();

  public void addClass(int actual, float[] probabilities) {
    classes.add(actual);
    scores.add(probabilities.clone());
  }

  public void addValue(double actual, double predicted) {
    values.add(new double[] {actual, predicted});
  }

  public int rows() {
    return classes.isEmpty() ? values.size() : classes.size();
  }

  public boolean isClassification() {
    return !classes.isEmpty();
  }

  /** The true class of row {@code i}. */
  public int actual(int i) {
    return classes.get(i);
  }

  /** The class scores of row {@code i}. */
  public float[] scores(int i) {
    return scores.get(i);
  }

  /** {actual, predicted} of regression row {@code i}. */
  public double[] value(int i) {
    return values.get(i);
  }

  /** The class count of a classifier's outcomes. */
  public int classCount() {
    return scores.isEmpty() ? 0 : scores.get(0).length;
  }

  /** Bit {@code i} set when row {@code i}'s top class was the true one. */
  public BitSet correct() {
    BitSet correct = new BitSet(classes.size());
    for (int i = 0; i < classes.size(); i++) {
      if (Postprocessor.argmax(scores.get(i)) == classes.get(i)) {
        correct.set(i);
      }
    }
    return correct;
  }
}
