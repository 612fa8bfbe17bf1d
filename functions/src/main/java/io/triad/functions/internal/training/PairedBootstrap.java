package io.triad.functions.internal.training;

import io.triad.functions.internal.evaluation.RowOutcomes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A paired bootstrap of the difference candidate − served in one metric, both scored on the same
 * rows: the rows are resampled with replacement {@code resamples} times (seeded, so a decision can
 * be repeated), the metric computed on each resample for both versions, and the differences' spread
 * gives the interval. The candidate is significantly worse when even the bound on its side of the
 * one-sided interval at the gate's confidence is worse than zero.
 *
 * @param difference the metric's difference on all rows, candidate minus served
 * @param bound the one-sided bound at {@code confidence}: the best the candidate plausibly is
 *     relative to the served version (upper for higher-is-better metrics, lower otherwise)
 */
public record PairedBootstrap(
    String metric,
    int rows,
    double candidate,
    double served,
    double difference,
    double lower,
    double upper,
    double bound,
    double confidence,
    int resamples,
    boolean higherIsBetter) {

  /** The metrics it can resample. */
  static final Set<String> METRICS = Set.of("macro_f1", "log_loss", "roc_auc", "mae", "rmse", "r2");

  private static final double EPS = 1e-15;

  /**
   * @throws IllegalArgumentException when the outcomes are not of the same rows, or the metric is
   *     not one of {@link #METRICS}
   */
  public static PairedBootstrap of(
      String metric,
      boolean higherIsBetter,
      RowOutcomes candidate,
      RowOutcomes served,
      double confidence,
      int resamples,
      long seed) {
    if (!METRICS.contains(metric)) {
      throw new IllegalArgumentException("no bootstrap for " + metric);
    }
    int n = candidate.rows();
    if (n != served.rows() || n == 0) {
      throw new IllegalArgumentException(
          "the versions were scored on " + n + " and " + served.rows() + " rows");
    }
    int[] all = new int[n];
    Arrays.fill(all, 1);
    int[][] candidateOrder = metric.equals("roc_auc") ? orders(candidate) : null;
    int[][] servedOrder = metric.equals("roc_auc") ? orders(served) : null;
    double candidateValue = value(metric, candidate, all, candidateOrder);
    double servedValue = value(metric, served, all, servedOrder);
    Random random = new Random(seed);
    double[] differences = new double[resamples];
    int[] weights = new int[n];
    for (int b = 0; b < resamples; b++) {
      Arrays.fill(weights, 0);
      for (int i = 0; i < n; i++) {
        weights[random.nextInt(n)]++;
      }
      differences[b] =
          value(metric, candidate, weights, candidateOrder)
              - value(metric, served, weights, servedOrder);
    }
    double[] finite = Arrays.stream(differences).filter(Double::isFinite).sorted().toArray();
    if (finite.length == 0) {
      throw new IllegalArgumentException(metric + " is undefined on these rows");
    }
    double lower = quantile(finite, (1 - confidence) / 2);
    double upper = quantile(finite, (1 + confidence) / 2);
    double bound = higherIsBetter ? quantile(finite, confidence) : quantile(finite, 1 - confidence);
    return new PairedBootstrap(
        metric,
        n,
        candidateValue,
        servedValue,
        candidateValue - servedValue,
        lower,
        upper,
        bound,
        confidence,
        resamples,
        higherIsBetter);
  }

  /** Whether the candidate is worse than the served version at the confidence it was made with. */
  public boolean significantlyWorse() {
    return higherIsBetter ? bound < 0 : bound > 0;
  }

  /** For the decision file. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("test", "paired bootstrap, " + resamples + " resamples of the rows");
    out.put("metric", metric);
    out.put("rows", rows);
    out.put("candidate", round(candidate));
    out.put("served", round(served));
    out.put("difference", round(difference));
    out.put("interval", new double[] {round(lower), round(upper)});
    out.put("confidence", confidence);
    out.put("oneSidedBound", round(bound));
    out.put("significantlyWorse", significantlyWorse());
    return out;
  }

  /** One line for the reason. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "difference %+.4f, %.0f%% interval [%+.4f, %+.4f] over %d rows (paired bootstrap)",
        difference,
        confidence * 100,
        lower,
        upper,
        rows);
  }

  private static double quantile(double[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }

  /**
   * The metric on the rows weighted by {@code weights} (how often each was drawn); {@code orders}:
   * for ROC AUC, each class's rows by ascending score ({@link #orders}).
   */
  static double value(String metric, RowOutcomes outcomes, int[] weights, int[][] orders) {
    return switch (metric) {
      case "macro_f1" -> macroF1(outcomes, weights);
      case "log_loss" -> logLoss(outcomes, weights);
      case "roc_auc" -> macroAuc(outcomes, weights, orders);
      case "mae", "rmse", "r2" -> regression(metric, outcomes, weights);
      default -> throw new IllegalArgumentException("no bootstrap for " + metric);
    };
  }

  private static double macroF1(RowOutcomes o, int[] w) {
    int k = o.classCount();
    long[] truePositives = new long[k];
    long[] predicted = new long[k];
    long[] support = new long[k];
    for (int i = 0; i < w.length; i++) {
      if (w[i] == 0) {
        continue;
      }
      int actual = o.actual(i);
      int guess = io.triad.functions.inference.Postprocessor.argmax(o.scores(i));
      support[actual] += w[i];
      predicted[guess] += w[i];
      if (actual == guess) {
        truePositives[actual] += w[i];
      }
    }
    double sum = 0;
    int present = 0;
    for (int c = 0; c < k; c++) {
      if (support[c] == 0) {
        continue; // as ClassificationResult: an absent class is left out of the macro average
      }
      present++;
      double precision = predicted[c] == 0 ? 0 : truePositives[c] / (double) predicted[c];
      double recall = truePositives[c] / (double) support[c];
      sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
    return present == 0 ? Double.NaN : sum / present;
  }

  private static double logLoss(RowOutcomes o, int[] w) {
    double sum = 0;
    long count = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        double p = Math.min(1 - EPS, Math.max(EPS, o.scores(i)[o.actual(i)]));
        sum -= w[i] * Math.log(p);
        count += w[i];
      }
    }
    return sum / count;
  }

  /** Each class's rows by ascending score: sorted once, reused by every resample. */
  static int[][] orders(RowOutcomes o) {
    int[][] orders = new int[o.classCount()][];
    for (int c = 0; c < orders.length; c++) {
      int cls = c;
      orders[c] =
          java.util.stream.IntStream.range(0, o.rows())
              .boxed()
              .sorted((a, b) -> Float.compare(o.scores(a)[cls], o.scores(b)[cls]))
              .mapToInt(Integer::intValue)
              .toArray();
    }
    return orders;
  }

  /** Macro one-vs-rest AUC over the classes with positives and negatives, ties counted half. */
  private static double macroAuc(RowOutcomes o, int[] w, int[][] orders) {
    double sum = 0;
    int defined = 0;
    for (int cls = 0; cls < orders.length; cls++) {
      int[] order = orders[cls];
      double wins = 0;
      long negativesBelow = 0;
      long positives = 0;
      long negatives = 0;
      int i = 0;
      while (i < order.length) {
        int j = i;
        long tiePositives = 0;
        long tieNegatives = 0;
        float score = o.scores(order[i])[cls];
        while (j < order.length && o.scores(order[j])[cls] == score) {
          int row = order[j];
          if (o.actual(row) == cls) {
            tiePositives += w[row];
          } else {
            tieNegatives += w[row];
          }
          j++;
        }
        wins += tiePositives * (negativesBelow + tieNegatives / 2.0);
        negativesBelow += tieNegatives;
        positives += tiePositives;
        negatives += tieNegatives;
        i = j;
      }
      if (positives > 0 && negatives > 0) {
        sum += wins / ((double) positives * negatives);
        defined++;
      }
    }
    return defined == 0 ? Double.NaN : sum / defined;
  }

  private static double regression(String metric, RowOutcomes o, int[] w) {
    double absolute = 0;
    double squared = 0;
    double actualSum = 0;
    long count = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        double[] v = o.value(i);
        absolute += w[i] * Math.abs(v[0] - v[1]);
        squared += w[i] * (v[0] - v[1]) * (v[0] - v[1]);
        actualSum += w[i] * v[0];
        count += w[i];
      }
    }
    if (metric.equals("mae")) {
      return absolute / count;
    }
    if (metric.equals("rmse")) {
      return Math.sqrt(squared / count);
    }
    double mean = actualSum / count;
    double total = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        double d = o.value(i)[0] - mean;
        total += w[i] * d * d;
      }
    }
    return total == 0 ? Double.NaN : 1 - squared / total;
  }
}
