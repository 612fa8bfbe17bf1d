package io.triad.functions.internal.evaluation;

import java.util.ArrayList;
import java.util.List;

/** One-vs-rest ROC AUC and a thinned ROC curve, read from a class's score histograms. */
record RocCurve(Double auc, List<RocPoint> points) {

  /**
   * @param positives per-bin counts of the class's score on rows of that class
   * @param negatives per-bin counts of the class's score on all other rows
   * @param maxPoints the most curve points to keep
   * @return AUC null and no points when the class has no positives or no negatives
   */
  static RocCurve fromHistograms(long[] positives, long[] negatives, int maxPoints) {
    long positiveTotal = sum(positives);
    long negativeTotal = sum(negatives);
    if (positiveTotal == 0 || negativeTotal == 0) {
      return new RocCurve(null, List.of());
    }
    return new RocCurve(
        auc(positives, negatives, positiveTotal, negativeTotal),
        thin(points(positives, negatives, positiveTotal, negativeTotal), maxPoints));
  }

  /** Mann–Whitney: each positive beats the negatives in lower bins and ties half of its own bin. */
  private static double auc(
      long[] positives, long[] negatives, long positiveTotal, long negativeTotal) {
    double wins = 0;
    long negativesBelow = 0;
    for (int b = 0; b < positives.length; b++) {
      wins += positives[b] * (negativesBelow + negatives[b] / 2.0);
      negativesBelow += negatives[b];
    }
    return wins / ((double) positiveTotal * negativeTotal);
  }

  /** Lowers the threshold bin by bin from the top: one point per non-empty bin, from (0, 0). */
  private static List<RocPoint> points(
      long[] positives, long[] negatives, long positiveTotal, long negativeTotal) {
    List<RocPoint> points = new ArrayList<>();
    points.add(new RocPoint(0, 0));
    long truePositives = 0;
    long falsePositives = 0;
    for (int b = positives.length - 1; b >= 0; b--) {
      if (positives[b] + negatives[b] == 0) {
        continue;
      }
      truePositives += positives[b];
      falsePositives += negatives[b];
      points.add(
          new RocPoint(
              falsePositives / (double) negativeTotal, truePositives / (double) positiveTotal));
    }
    return points;
  }

  /** Keeps {@code maxPoints} evenly spaced along the curve, always the first and the last. */
  static List<RocPoint> thin(List<RocPoint> points, int maxPoints) {
    if (points.size() <= maxPoints) {
      return List.copyOf(points);
    }
    List<RocPoint> kept = new ArrayList<>(maxPoints);
    double step = (points.size() - 1) / (double) (maxPoints - 1);
    for (int i = 0; i < maxPoints; i++) {
      kept.add(points.get((int) Math.round(i * step)));
    }
    return List.copyOf(kept);
  }

  private static long sum(long[] counts) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }
}
