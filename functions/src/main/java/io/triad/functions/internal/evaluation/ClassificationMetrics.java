package io.triad.functions.internal.evaluation;

import io.triad.functions.inference.Postprocessor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Streaming accumulator for multi-class classification metrics whose memory does not grow with the
 * number of rows: a k×k confusion matrix, a log-loss sum and, per class, two score histograms.
 *
 * <p>One-vs-rest ROC AUC is read from the histograms: scores fall into {@value #AUC_BINS}
 * equal-width bins over [0, 1], and a positive/negative pair in the same bin counts 1/2, exactly as
 * a tie does in the Mann–Whitney statistic. The result is therefore exact whenever no positive and
 * negative score share a bin (scores at least 1e-4 apart), and off by at most half the fraction of
 * pairs that do. Memory is about {@code 16 × AUC_BINS × k + 8 × k²} bytes (160 KB per class).
 *
 * <p>Not thread-safe: feed one instance from one thread.
 */
public final class ClassificationMetrics {

  /** Histogram bins per class and polarity; the AUC resolution is {@code 1 / AUC_BINS}. */
  public static final int AUC_BINS = 10_000;

  /** The most points a per-class ROC curve keeps, for plotting. */
  public static final int MAX_ROC_POINTS = 101;

  static final double PROBABILITY_CLIP = 1e-15;

  private final List<String> labels;
  private final long[][] confusion;
  private final long[][] positiveScores;
  private final long[][] negativeScores;
  private long rows;
  private double logLossSum;

  /**
   * @param labels the class labels in index order; at least two, distinct and non-null
   */
  public ClassificationMetrics(List<String> labels) {
    this.labels = checkLabels(labels);
    int k = this.labels.size();
    this.confusion = new long[k][k];
    this.positiveScores = new long[k][AUC_BINS];
    this.negativeScores = new long[k][AUC_BINS];
  }

  private static List<String> checkLabels(List<String> labels) {
    Objects.requireNonNull(labels, "labels");
    List<String> copy = List.copyOf(labels);
    if (copy.size() < 2) {
      throw new IllegalArgumentException("need at least two class labels, got " + copy.size());
    }
    if (new HashSet<>(copy).size() != copy.size()) {
      throw new IllegalArgumentException("class labels must be distinct: " + copy);
    }
    return copy;
  }

  public List<String> labels() {
    return labels;
  }

  /**
   * Adds one row. The predicted class is the argmax of {@code probabilities}; a tie goes to the
   * lowest index. Probabilities are used as given, not renormalised.
   *
   * @param trueClass index of the true label in {@link #labels()}
   * @param probabilities one score in [0, 1] per class, in label order
   * @throws IllegalArgumentException for a class index out of range, an array of the wrong length,
   *     or a score that is NaN or outside [0, 1] (raw logits passed by mistake, say)
   */
  public void add(int trueClass, float[] probabilities) {
    checkRow(trueClass, probabilities);
    int predicted = Postprocessor.argmax(probabilities);
    confusion[trueClass][predicted]++;
    logLossSum -= Math.log(clip(probabilities[trueClass]));
    for (int c = 0; c < probabilities.length; c++) {
      long[][] histogram = c == trueClass ? positiveScores : negativeScores;
      histogram[c][bin(probabilities[c])]++;
    }
    rows++;
  }

  private void checkRow(int trueClass, float[] probabilities) {
    int k = labels.size();
    if (trueClass < 0 || trueClass >= k) {
      throw new IllegalArgumentException(
          "true class " + trueClass + " is out of range [0, " + k + ")");
    }
    Objects.requireNonNull(probabilities, "probabilities");
    if (probabilities.length != k) {
      throw new IllegalArgumentException(
          "expected " + k + " probabilities, got " + probabilities.length);
    }
    for (int c = 0; c < k; c++) {
      float p = probabilities[c];
      if (!(p >= 0f && p <= 1f)) {
        throw new IllegalArgumentException(
            "probability of class " + c + " is " + p + ", outside [0, 1]");
      }
    }
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, PROBABILITY_CLIP), 1 - PROBABILITY_CLIP);
  }

  static int bin(double score) {
    return Math.min((int) (score * AUC_BINS), AUC_BINS - 1);
  }

  public long rows() {
    return rows;
  }

  /** Counters held, for tests that check memory does not grow with rows. */
  long counters() {
    long cells = 0;
    for (long[][] table : List.of(confusion, positiveScores, negativeScores)) {
      for (long[] row : table) {
        cells += row.length;
      }
    }
    return cells;
  }

  /**
   * The metrics so far.
   *
   * @throws IllegalStateException when no row was added: an empty evaluation has no metrics
   */
  public ClassificationResult result() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added");
    }
    int k = labels.size();
    List<ClassificationResult.ClassMetrics> classes = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      classes.add(classMetrics(c));
    }
    return ClassificationResult.of(
        rows,
        correct() / (double) rows,
        classes,
        confusionMatrix(),
        logLossSum / rows,
        calibration());
  }

  /** Ten equal bins of scores, every class's score on every row pooled (one-vs-rest). */
  private List<CalibrationBin> calibration() {
    int bins = 10;
    int width = AUC_BINS / bins;
    List<CalibrationBin> result = new ArrayList<>(bins);
    for (int bin = 0; bin < bins; bin++) {
      long count = 0;
      long positives = 0;
      double scoreSum = 0;
      for (int c = 0; c < labels.size(); c++) {
        for (int b = bin * width; b < (bin + 1) * width; b++) {
          long n = positiveScores[c][b] + negativeScores[c][b];
          count += n;
          positives += positiveScores[c][b];
          scoreSum += n * ((b + 0.5) / AUC_BINS);
        }
      }
      if (count > 0) {
        result.add(
            new CalibrationBin(
                bin / (double) bins,
                (bin + 1) / (double) bins,
                scoreSum / count,
                positives / (double) count,
                count));
      }
    }
    return result;
  }

  private ClassificationResult.ClassMetrics classMetrics(int c) {
    long truePositives = confusion[c][c];
    long support = 0;
    long predicted = 0;
    for (int other = 0; other < labels.size(); other++) {
      support += confusion[c][other];
      predicted += confusion[other][c];
    }
    double precision = ratio(truePositives, predicted);
    double recall = ratio(truePositives, support);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    RocCurve roc = RocCurve.fromHistograms(positiveScores[c], negativeScores[c], MAX_ROC_POINTS);
    return new ClassificationResult.ClassMetrics(
        labels.get(c), precision, recall, f1, support, roc.auc(), roc.points());
  }

  /** A class never predicted has precision 0, one never seen recall 0, as in scikit-learn. */
  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0 : numerator / (double) denominator;
  }

  private long correct() {
    long sum = 0;
    for (int c = 0; c < labels.size(); c++) {
      sum += confusion[c][c];
    }
    return sum;
  }

  private List<List<Long>> confusionMatrix() {
    List<List<Long>> matrix = new ArrayList<>(labels.size());
    for (long[] row : confusion) {
      List<Long> counts = new ArrayList<>(row.length);
      for (long count : row) {
        counts.add(count);
      }
      matrix.add(List.copyOf(counts));
    }
    return List.copyOf(matrix);
  }
}
