package io.triad.functions.internal.evaluation;

import io.triad.functions.report.Html;
import io.triad.functions.report.Svg;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A reliability diagram: for each bin of scores, the mean score against the share of those scores
 * that belonged to the class; a calibrated model's points lie on the diagonal. The bars below show
 * how many scores fell in each bin.
 */
final class CalibrationChart {
  private static final double PLOT = 300;
  private static final double LEFT = 56;
  private static final double TOP = 16;
  private static final double BARS = 60;
  private static final double BOTTOM = 48;

  private CalibrationChart() {}

  static String svg(ClassificationResult result) {
    Svg svg =
        new Svg(
            LEFT + PLOT + 24,
            TOP + PLOT + 12 + BARS + BOTTOM,
            "Reliability diagram: mean score against the share of rows of the class, per bin");
    for (int tick = 0; tick <= 5; tick++) {
      double value = tick / 5.0;
      String label = String.format(Locale.ROOT, "%.1f", value);
      svg.line(x(value), TOP, x(value), TOP + PLOT, "grid");
      svg.line(LEFT, y(value), LEFT + PLOT, y(value), "grid");
      svg.text(x(value), TOP + PLOT + 12 + BARS + 16, label, "middle", "class=\"axis\"");
      svg.text(LEFT - 6, y(value) + 4, label, "end", "class=\"axis\"");
    }
    svg.line(LEFT, TOP + PLOT, LEFT + PLOT, TOP, "diagonal");
    svg.line(LEFT, TOP, LEFT, TOP + PLOT, "frame");
    svg.line(LEFT, TOP + PLOT, LEFT + PLOT, TOP + PLOT, "frame");
    long most = result.calibration().stream().mapToLong(CalibrationBin::count).max().orElse(1);
    List<double[]> points = new ArrayList<>();
    for (CalibrationBin bin : result.calibration()) {
      points.add(new double[] {x(bin.meanScore()), y(bin.observed())});
      double height = BARS * Math.log1p(bin.count()) / Math.log1p(most);
      svg.rect(
          x(bin.from()) + 1,
          TOP + PLOT + 12 + BARS - height,
          PLOT / 10 - 2,
          height,
          "#bab0ac",
          bin.count()
              + " scores in "
              + Html.metric(bin.from())
              + " to "
              + Html.metric(bin.to())
              + "; "
              + Html.metric(bin.observed())
              + " of them for the class");
    }
    if (!points.isEmpty()) {
      svg.polyline(
          points,
          "#e15759",
          "observed share per bin; expected calibration error "
              + Html.metric(result.expectedCalibrationError()));
    }
    svg.text(
        LEFT + PLOT / 2,
        TOP + PLOT + 12 + BARS + 38,
        "Mean score (bars: how many, log scale)",
        "middle",
        "class=\"axis-title\"");
    double middle = TOP + PLOT / 2;
    svg.text(
        16,
        middle,
        "Share of the class",
        "middle",
        "class=\"axis-title\" transform=\"rotate(-90 16 " + Html.coordinate(middle) + ")\"");
    return svg.toString();
  }

  private static double x(double score) {
    return LEFT + score * PLOT;
  }

  private static double y(double share) {
    return TOP + (1 - share) * PLOT;
  }
}
