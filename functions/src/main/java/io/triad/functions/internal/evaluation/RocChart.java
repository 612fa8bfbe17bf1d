package io.triad.functions.internal.evaluation;

import io.triad.functions.report.Html;
import io.triad.functions.report.Svg;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One-vs-rest ROC curves as an SVG line chart: one polyline per class, the diagonal, a legend. */
final class RocChart {

  private static final double PLOT = 320;
  private static final double LEFT = 56;
  private static final double TOP = 16;
  private static final double BOTTOM = 48;
  private static final double LEGEND_WIDTH = 240;
  private static final double LEGEND_ROW = 20;
  private static final List<String> PALETTE =
      List.of(
          "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
          "#9c755f", "#bab0ac");

  private RocChart() {}

  static String svg(ClassificationResult result) {
    List<ClassificationResult.ClassMetrics> classes = result.classes();
    double height = Math.max(TOP + PLOT + BOTTOM, TOP + LEGEND_ROW * (classes.size() + 1));
    Svg svg =
        new Svg(
            LEFT + PLOT + 24 + LEGEND_WIDTH,
            height,
            "ROC curves, one versus rest, false-positive rate against true-positive rate");
    axes(svg);
    for (int c = 0; c < classes.size(); c++) {
      ClassificationResult.ClassMetrics metrics = classes.get(c);
      if (!metrics.roc().isEmpty()) {
        svg.polyline(
            pixels(metrics.roc()),
            color(c),
            metrics.label() + " (AUC " + Html.metric(metrics.rocAuc()) + ")");
      }
      legendEntry(svg, c, metrics);
    }
    return svg.toString();
  }

  private static void axes(Svg svg) {
    for (int tick = 0; tick <= 5; tick++) {
      double value = tick / 5.0;
      double x = x(value);
      double y = y(value);
      svg.line(x, TOP, x, TOP + PLOT, "grid");
      svg.line(LEFT, y, LEFT + PLOT, y, "grid");
      String label = String.format(Locale.ROOT, "%.1f", value);
      svg.text(x, TOP + PLOT + 16, label, "middle", "class=\"axis\"");
      svg.text(LEFT - 6, y + 4, label, "end", "class=\"axis\"");
    }
    svg.line(LEFT, TOP + PLOT, LEFT + PLOT, TOP, "diagonal");
    svg.line(LEFT, TOP, LEFT, TOP + PLOT, "frame");
    svg.line(LEFT, TOP + PLOT, LEFT + PLOT, TOP + PLOT, "frame");
    svg.text(
        LEFT + PLOT / 2, TOP + PLOT + 38, "False-positive rate", "middle", "class=\"axis-title\"");
    double middle = TOP + PLOT / 2;
    svg.text(
        16,
        middle,
        "True-positive rate",
        "middle",
        "class=\"axis-title\" transform=\"rotate(-90 16 " + Html.coordinate(middle) + ")\"");
  }

  private static void legendEntry(Svg svg, int c, ClassificationResult.ClassMetrics metrics) {
    double x = LEFT + PLOT + 24;
    double y = TOP + c * LEGEND_ROW;
    svg.rect(x, y, 14, 14, color(c), null);
    svg.text(
        x + 20,
        y + 11,
        ConfusionHeatMap.shorten(metrics.label()) + "  AUC " + Html.metric(metrics.rocAuc()),
        "start",
        "class=\"legend\"");
  }

  private static List<double[]> pixels(List<RocPoint> points) {
    List<double[]> pixels = new ArrayList<>(points.size());
    for (RocPoint point : points) {
      pixels.add(new double[] {x(point.fpr()), y(point.tpr())});
    }
    return pixels;
  }

  private static double x(double fpr) {
    return LEFT + fpr * PLOT;
  }

  private static double y(double tpr) {
    return TOP + (1 - tpr) * PLOT;
  }

  private static String color(int c) {
    return PALETTE.get(c % PALETTE.size());
  }
}
