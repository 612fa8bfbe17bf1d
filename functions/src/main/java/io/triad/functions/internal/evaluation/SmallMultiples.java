package io.triad.functions.internal.evaluation;

import io.triad.functions.report.Html;
import io.triad.functions.report.Svg;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * One small chart per class in a grid, so ten curves that would overlap in one corner of a single
 * chart each get a panel of their own: ROC curves with the false-positive rate on a log scale (a
 * good classifier's curve lives below 0.1) and precision-recall curves.
 */
final class SmallMultiples {
  private static final double PANEL = 150;
  private static final double GAP = 34;
  private static final double LEFT = 40;
  private static final double TOP = 24;
  private static final int COLUMNS = 4;
  private static final double MIN_FPR = 1e-3;

  private SmallMultiples() {}

  /** ROC per class, false-positive rate from 0.001 to 1 on a log scale. */
  static String roc(ClassificationResult result) {
    return grid(
        result,
        "ROC curves per class, false-positive rate on a log scale against true-positive rate",
        "False-positive rate (log)",
        "True-positive rate",
        new String[] {"0.001", "0.01", "0.1", "1"},
        SmallMultiples::logFpr,
        c -> {
          List<double[]> points = new ArrayList<>();
          for (RocPoint p : c.roc()) {
            points.add(new double[] {logFpr(p.fpr()), p.tpr()});
          }
          return points;
        },
        c -> "AUC " + Html.metric(c.rocAuc()),
        true);
  }

  /**
   * Precision against recall per class, derived from the ROC points and the class's share of the
   * rows: precision = TPR·P / (TPR·P + FPR·N).
   */
  static String precisionRecall(ClassificationResult result) {
    return grid(
        result,
        "Precision-recall curves per class",
        "Recall",
        "Precision",
        new String[] {"0", "0.5", "1"},
        v -> v,
        c -> precisionRecallPoints(c, result.rows()),
        c -> "precision " + Html.metric(c.precision()) + ", recall " + Html.metric(c.recall()),
        false);
  }

  /** {recall, precision} pairs of one class, from its ROC points; empty without a ROC curve. */
  static List<double[]> precisionRecallPoints(ClassificationResult.ClassMetrics c, long rows) {
    double positives = c.support();
    double negatives = rows - positives;
    List<double[]> points = new ArrayList<>();
    for (RocPoint p : c.roc()) {
      double truePositives = p.tpr() * positives;
      double falsePositives = p.fpr() * negatives;
      if (truePositives + falsePositives > 0) {
        points.add(new double[] {p.tpr(), truePositives / (truePositives + falsePositives)});
      }
    }
    return points;
  }

  private static double logFpr(double fpr) {
    return (Math.log10(Math.max(fpr, MIN_FPR)) - Math.log10(MIN_FPR)) / -Math.log10(MIN_FPR);
  }

  private interface Curve {
    List<double[]> points(ClassificationResult.ClassMetrics c);
  }

  private interface Caption {
    String of(ClassificationResult.ClassMetrics c);
  }

  private static String grid(
      ClassificationResult result,
      String description,
      String xTitle,
      String yTitle,
      String[] xTicks,
      DoubleUnaryOperator xOfTick,
      Curve curve,
      Caption caption,
      boolean diagonal) {
    List<ClassificationResult.ClassMetrics> classes = result.classes();
    int columns = Math.min(COLUMNS, classes.size());
    int rows = (classes.size() + columns - 1) / columns;
    double cell = PANEL + GAP + LEFT;
    Svg svg = new Svg(columns * cell, rows * (PANEL + GAP + TOP) + 8, description);
    for (int i = 0; i < classes.size(); i++) {
      ClassificationResult.ClassMetrics c = classes.get(i);
      double x0 = (i % columns) * cell + LEFT;
      double y0 = (i / columns) * (PANEL + GAP + TOP) + TOP;
      svg.text(
          x0 + PANEL / 2,
          y0 - 8,
          ConfusionHeatMap.shorten(c.label()) + ": " + caption.of(c),
          "middle",
          "class=\"legend\"");
      for (String tick : xTicks) {
        double value = tickValue(tick, xOfTick);
        double x = x0 + value * PANEL;
        svg.line(x, y0, x, y0 + PANEL, "grid");
        svg.text(x, y0 + PANEL + 14, tick, "middle", "class=\"axis\"");
      }
      for (double value : new double[] {0, 0.5, 1}) {
        double y = y0 + (1 - value) * PANEL;
        svg.line(x0, y, x0 + PANEL, y, "grid");
        svg.text(x0 - 4, y + 4, String.format(Locale.ROOT, "%.1f", value), "end", "class=\"axis\"");
      }
      if (diagonal) {
        List<double[]> guess = new ArrayList<>();
        for (int step = 0; step <= 30; step++) {
          double fpr = Math.pow(10, -3 + step / 10.0);
          guess.add(new double[] {x0 + logFpr(fpr) * PANEL, y0 + (1 - fpr) * PANEL});
        }
        svg.polyline(guess, "#bbbbbb", "a model that guesses");
      }
      svg.line(x0, y0, x0, y0 + PANEL, "frame");
      svg.line(x0, y0 + PANEL, x0 + PANEL, y0 + PANEL, "frame");
      List<double[]> pixels = new ArrayList<>();
      for (double[] point : curve.points(c)) {
        pixels.add(new double[] {x0 + point[0] * PANEL, y0 + (1 - point[1]) * PANEL});
      }
      if (!pixels.isEmpty()) {
        svg.polyline(pixels, "#4e79a7", c.label() + ": " + caption.of(c));
      }
      svg.text(x0 + PANEL / 2, y0 + PANEL + 30, xTitle, "middle", "class=\"axis-title\"");
      if (i % columns == 0) {
        double middle = y0 + PANEL / 2;
        svg.text(
            x0 - 30,
            middle,
            yTitle,
            "middle",
            "class=\"axis-title\" transform=\"rotate(-90 "
                + Html.coordinate(x0 - 30)
                + " "
                + Html.coordinate(middle)
                + ")\"");
      }
    }
    return svg.toString();
  }

  private static double tickValue(String tick, DoubleUnaryOperator xOfTick) {
    return xOfTick.applyAsDouble(Double.parseDouble(tick));
  }
}
