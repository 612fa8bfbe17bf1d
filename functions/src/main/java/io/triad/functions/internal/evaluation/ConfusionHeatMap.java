package io.triad.functions.internal.evaluation;

import io.triad.functions.report.Html;
import io.triad.functions.report.Svg;
import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix as an SVG heat map: rows are true classes, columns predicted ones, each cell
 * shaded by its share of the row (so recall sits on the diagonal) with the count written in it.
 */
final class ConfusionHeatMap {

  private static final double MARGIN_LEFT = 150;
  private static final double MARGIN_TOP = 120;
  private static final double MARGIN_BOTTOM = 20;

  /** Room for the last column's label, which runs up and to the right. */
  private static final double MARGIN_RIGHT = 100;

  private static final int MAX_LABEL = 18;

  private ConfusionHeatMap() {}

  static String svg(ClassificationResult result) {
    List<String> labels = result.labels();
    List<List<Long>> matrix = result.confusionMatrix();
    int k = labels.size();
    double cell = Math.max(18, Math.min(56, 480.0 / k));
    double grid = k * cell;
    Svg svg =
        new Svg(
            MARGIN_LEFT + grid + MARGIN_RIGHT,
            MARGIN_TOP + grid + MARGIN_BOTTOM,
            "Confusion matrix, rows true class, columns predicted class");
    axisTitles(svg, grid);
    for (int i = 0; i < k; i++) {
      String label = shorten(labels.get(i));
      double rowMiddle = MARGIN_TOP + (i + 0.5) * cell;
      svg.text(MARGIN_LEFT - 6, rowMiddle + 4, label, "end", "class=\"axis\"");
      double columnMiddle = MARGIN_LEFT + (i + 0.5) * cell;
      svg.text(
          columnMiddle,
          MARGIN_TOP - 6,
          label,
          "start",
          "class=\"axis\" transform=\"rotate(-45 "
              + Html.coordinate(columnMiddle)
              + ' '
              + Html.coordinate(MARGIN_TOP - 6)
              + ")\"");
      row(svg, labels, i, matrix.get(i), cell);
    }
    return svg.toString();
  }

  private static void axisTitles(Svg svg, double grid) {
    svg.text(MARGIN_LEFT + grid / 2, 16, "Predicted", "middle", "class=\"axis-title\"");
    double middle = MARGIN_TOP + grid / 2;
    svg.text(
        16,
        middle,
        "True",
        "middle",
        "class=\"axis-title\" transform=\"rotate(-90 16 " + Html.coordinate(middle) + ")\"");
  }

  private static void row(Svg svg, List<String> labels, int i, List<Long> counts, double cell) {
    long total = counts.stream().mapToLong(Long::longValue).sum();
    double y = MARGIN_TOP + i * cell;
    double fontSize = Math.min(13, cell * 0.4);
    for (int j = 0; j < counts.size(); j++) {
      long count = counts.get(j);
      double share = total == 0 ? 0 : count / (double) total;
      double x = MARGIN_LEFT + j * cell;
      String title =
          "true "
              + labels.get(i)
              + ", predicted "
              + labels.get(j)
              + ": "
              + count
              + " ("
              + Math.round(share * 100)
              + "% of row)";
      svg.rect(x, y, cell, cell, shade(share), title);
      svg.text(
          x + cell / 2,
          y + cell / 2 + fontSize / 3,
          Long.toString(count),
          "middle",
          "font-size=\""
              + Html.coordinate(fontSize)
              + "\" fill=\""
              + (share > 0.5 ? "#ffffff" : "#1a1a1a")
              + '"');
    }
  }

  /** White at 0, deep blue at 1. */
  static String shade(double share) {
    int r = (int) Math.round(255 - share * (255 - 31));
    int g = (int) Math.round(255 - share * (255 - 78));
    int b = (int) Math.round(255 - share * (255 - 150));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  static String shorten(String label) {
    return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 1) + "\u2026";
  }
}
