package io.triad.functions.internal.evaluation;

import io.triad.functions.report.Html;
import java.util.List;
import java.util.Map;

/**
 * Renders an {@link EvaluationReport} as one self-contained HTML page: inline CSS and SVG only, no
 * script and no external resource, so it opens the same from a bucket, a mail or a disk. Every
 * string taken from the report is escaped; class labels come from user data.
 */
public final class ReportHtml {

  private static final Map<String, String> METRIC_NAMES =
      Map.of(
          "accuracy", "Accuracy",
          "macro_f1", "Macro F1",
          "log_loss", "Log loss",
          "roc_auc", "ROC AUC (macro)",
          "mae", "MAE",
          "rmse", "RMSE",
          "r2", "R\u00b2");

  private static final List<String> CLASSIFICATION_HEADLINE =
      List.of("accuracy", "macro_f1", "log_loss", "roc_auc");
  private static final List<String> REGRESSION_HEADLINE = List.of("mae", "rmse", "r2");

  private ReportHtml() {}

  public static String render(EvaluationReport report) {
    StringBuilder html = new StringBuilder(16_384);
    String title = "Evaluation of " + report.model() + " " + report.version();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(Html.text(title))
        .append("</title>\n")
        .append("<style>\n")
        .append(Html.CSS)
        .append("</style>\n</head>\n<body>\n<main>\n");
    header(html, report);
    headline(html, report);
    notes(html, report.notes());
    if (report.metrics() instanceof ClassificationResult classification) {
      classTable(html, classification);
      figure(
          html,
          "Confusion matrix",
          ConfusionHeatMap.svg(classification),
          "Rows are true classes, columns predicted ones; shading is the share of the row.");
      figure(
          html,
          "ROC curves (one vs rest)",
          RocChart.svg(classification),
          "Dashed diagonal: a model that guesses. AUC resolution: 1/"
              + ClassificationMetrics.AUC_BINS
              + " of the score range.");
    }
    gallery(html, report.worstMisclassified());
    return html.append("</main>\n</body>\n</html>\n").toString();
  }

  private static void header(StringBuilder html, EvaluationReport report) {
    html.append("<header>\n<h1>")
        .append(Html.text(report.model()))
        .append(" <span class=\"version\">")
        .append(Html.text(report.version()))
        .append("</span></h1>\n<dl>\n");
    definition(html, "Data", report.dataKey());
    definition(html, "Rows", Long.toString(report.rows()));
    definition(html, "Created", report.created().toString());
    definition(
        html,
        "Task",
        report.metrics() instanceof ClassificationResult ? "classification" : "regression");
    html.append("</dl>\n</header>\n");
  }

  private static void definition(StringBuilder html, String term, String value) {
    html.append("<dt>")
        .append(Html.text(term))
        .append("</dt><dd>")
        .append(Html.text(value))
        .append("</dd>\n");
  }

  private static void headline(StringBuilder html, EvaluationReport report) {
    Map<String, Double> values = report.headline();
    List<String> keys =
        report.metrics() instanceof ClassificationResult
            ? CLASSIFICATION_HEADLINE
            : REGRESSION_HEADLINE;
    html.append("<h2>Headline metrics</h2>\n<div class=\"cards\">\n");
    for (String key : keys) {
      html.append("<div class=\"card\"><div class=\"name\">")
          .append(Html.text(METRIC_NAMES.get(key)))
          .append("</div><div class=\"value\">")
          .append(Html.metric(values.get(key)))
          .append("</div></div>\n");
    }
    html.append("</div>\n");
  }

  private static void notes(StringBuilder html, List<String> notes) {
    if (notes.isEmpty()) {
      return;
    }
    html.append("<h2>Notes</h2>\n<ul>\n");
    for (String note : notes) {
      html.append("<li>").append(Html.text(note)).append("</li>\n");
    }
    html.append("</ul>\n");
  }

  private static void classTable(StringBuilder html, ClassificationResult result) {
    html.append("<h2>Per class</h2>\n<table>\n<thead><tr><th>Class</th><th>Precision</th>")
        .append("<th>Recall</th><th>F1</th><th>Support</th><th>ROC AUC</th></tr></thead>\n")
        .append("<tbody>\n");
    for (ClassificationResult.ClassMetrics c : result.classes()) {
      tableRow(
          html,
          "",
          c.label(),
          c.precision(),
          c.recall(),
          c.f1(),
          Long.toString(c.support()),
          c.rocAuc());
    }
    tableRow(
        html,
        "average",
        "Macro average",
        result.macroPrecision(),
        result.macroRecall(),
        result.macroF1(),
        Long.toString(result.rows()),
        result.macroRocAuc());
    html.append("<tr class=\"average\"><td>Weighted F1</td><td></td><td></td><td>")
        .append(Html.metric(result.weightedF1()))
        .append("</td><td></td><td></td></tr>\n")
        .append("</tbody>\n</table>\n");
  }

  private static void tableRow(
      StringBuilder html,
      String cssClass,
      String name,
      double precision,
      double recall,
      double f1,
      String support,
      Double auc) {
    html.append(cssClass.isEmpty() ? "<tr>" : "<tr class=\"" + cssClass + "\">")
        .append("<td>")
        .append(Html.text(name))
        .append("</td><td>")
        .append(Html.metric(precision))
        .append("</td><td>")
        .append(Html.metric(recall))
        .append("</td><td>")
        .append(Html.metric(f1))
        .append("</td><td>")
        .append(Html.text(support))
        .append("</td><td>")
        .append(Html.metric(auc))
        .append("</td></tr>\n");
  }

  /** The most confident mistakes, worst first; the pictures are inline data URIs. */
  private static void gallery(StringBuilder html, List<Misclassified> worst) {
    if (worst.isEmpty()) {
      return;
    }
    html.append(
            "<h2>Worst misclassified</h2>\n<p>Lowest probability given to the true class first.</p>\n")
        .append("<div class=\"gallery\">\n");
    for (Misclassified m : worst) {
      html.append("<figure>");
      if (m.thumbnail() != null && m.thumbnail().startsWith("data:image/png;base64,")) {
        html.append("<img alt=\"")
            .append(Html.text(m.source()))
            .append("\" src=\"")
            .append(Html.text(m.thumbnail()))
            .append("\">");
      }
      html.append("<figcaption>true <b>")
          .append(Html.text(m.actual()))
          .append("</b>, predicted <b>")
          .append(Html.text(m.predicted()))
          .append("</b> (")
          .append(Html.metric(m.probability()))
          .append(")<br>")
          .append(Html.text(m.source()))
          .append("</figcaption></figure>\n");
    }
    html.append("</div>\n");
  }

  private static void figure(StringBuilder html, String heading, String svg, String caption) {
    html.append("<h2>")
        .append(Html.text(heading))
        .append("</h2>\n<figure>\n")
        .append(svg)
        .append("<figcaption>")
        .append(Html.text(caption))
        .append("</figcaption>\n</figure>\n");
  }
}
