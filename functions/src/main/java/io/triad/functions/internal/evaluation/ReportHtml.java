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
    comparison(html, report);
    if (report.metrics() instanceof ClassificationResult classification) {
      classTable(html, classification);
      figure(
          html,
          "Confusion matrix",
          ConfusionHeatMap.svg(classification),
          "Rows are true classes, columns predicted ones; shading is the share of the row.");
      boolean many = classification.classes().size() > 4;
      figure(
          html,
          "ROC curves (one vs rest)",
          many ? SmallMultiples.roc(classification) : RocChart.svg(classification),
          (many
                  ? "One panel per class, the false-positive rate on a log scale from 0.001, where"
                      + " good classifiers' curves differ; grey: a model that guesses."
                  : "Dashed diagonal: a model that guesses.")
              + " AUC resolution: 1/"
              + ClassificationMetrics.AUC_BINS
              + " of the score range.");
      figure(
          html,
          "Precision-recall curves (one vs rest)",
          SmallMultiples.precisionRecall(classification),
          "Precision at each recall as the threshold on the class's score falls; the title gives"
              + " the precision and recall of the model's own choice (the top class).");
      figure(
          html,
          "Calibration",
          CalibrationChart.svg(classification),
          "Every class's score on every row, in ten bins: on the diagonal, a score of 0.8 is right"
              + " 8 times in 10. Expected calibration error "
              + Html.metric(classification.expectedCalibrationError())
              + ".");
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

  /** A gate report's candidate against the served version, figure by figure and class by class. */
  private static void comparison(StringBuilder html, EvaluationReport report) {
    EvaluationReport.Comparison c = report.comparison();
    if (c == null) {
      return;
    }
    html.append("<h2>Candidate ")
        .append(Html.text(report.version()))
        .append(" against served ")
        .append(Html.text(c.servedVersion()))
        .append("</h2>\n<p>Both scored on the same rows.</p>\n<table>\n")
        .append("<thead><tr><th>Metric</th><th>Candidate</th><th>Served</th>")
        .append("<th>Difference</th></tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Double> entry : c.candidate().entrySet()) {
      Double served = c.served().get(entry.getKey());
      html.append("<tr><td>")
          .append(Html.text(METRIC_NAMES.getOrDefault(entry.getKey(), entry.getKey())))
          .append("</td><td>")
          .append(Html.metric(entry.getValue()))
          .append("</td><td>")
          .append(Html.metric(served))
          .append("</td><td>")
          .append(delta(entry.getValue(), served))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    if (c.classes().isEmpty()) {
      return;
    }
    html.append("<p>Class by class:</p>\n<table>\n<thead><tr><th>Class</th><th>Support</th>")
        .append("<th>F1 candidate</th>")
        .append("<th>F1 served</th><th>F1 difference</th><th>Recall candidate</th>")
        .append("<th>Recall served</th><th>Recall difference</th></tr></thead>\n<tbody>\n");
    for (EvaluationReport.ClassDelta d : c.classes()) {
      html.append("<tr><td>")
          .append(Html.text(d.label()))
          .append("</td><td>")
          .append(d.support())
          .append("</td><td>")
          .append(Html.metric(d.candidateF1()))
          .append("</td><td>")
          .append(Html.metric(d.servedF1()))
          .append("</td><td>")
          .append(delta(d.candidateF1(), d.servedF1()))
          .append("</td><td>")
          .append(Html.metric(d.candidateRecall()))
          .append("</td><td>")
          .append(Html.metric(d.servedRecall()))
          .append("</td><td>")
          .append(delta(d.candidateRecall(), d.servedRecall()))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static String delta(Double candidate, Double served) {
    if (candidate == null || served == null) {
      return "";
    }
    double d = candidate - served;
    return (d > 0 ? "+" : d < 0 ? "\u2212" : "\u00b1")
        + String.format(java.util.Locale.ROOT, "%.4f", Math.abs(d));
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
    if (worst.stream().allMatch(m -> m.thumbnail() == null)) {
      mistakesTable(html, worst);
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
          .append("</b> at ")
          .append(Html.metric(m.actualProbability()))
          .append(", predicted <b>")
          .append(Html.text(m.predicted()))
          .append("</b> at ")
          .append(Html.metric(m.probability()))
          .append("<br>")
          .append(Html.text(m.source()))
          .append("</figcaption></figure>\n");
    }
    html.append("</div>\n");
  }

  /** A table's misclassified rows, worst first, with the inputs that led there. */
  private static void mistakesTable(StringBuilder html, List<Misclassified> worst) {
    html.append("<h2>Worst misclassified rows</h2>\n")
        .append("<p>Lowest probability given to the true class first.</p>\n<table>\n")
        .append("<thead><tr><th>Row</th><th>True class (its probability)</th>")
        .append("<th>Predicted (its probability)</th><th>Inputs</th></tr></thead>\n<tbody>\n");
    for (Misclassified m : worst) {
      html.append("<tr><td>")
          .append(Html.text(m.source()))
          .append("</td><td>")
          .append(Html.text(m.actual()))
          .append(" (")
          .append(Html.metric(m.actualProbability()))
          .append(")</td><td>")
          .append(Html.text(m.predicted()))
          .append(" (")
          .append(Html.metric(m.probability()))
          .append(")</td><td>")
          .append(Html.text(m.inputs() == null ? "" : m.inputs()))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
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
