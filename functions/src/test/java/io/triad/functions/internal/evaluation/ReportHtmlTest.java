package io.triad.functions.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {

  private static final Instant CREATED = Instant.parse("2025-06-01T12:00:00Z");
  private static final String HOSTILE = "<script>alert('x')</script>";

  private static EvaluationReport classificationReport(String thirdLabel) {
    ClassificationMetrics metrics =
        new ClassificationMetrics(List.of("setosa", "versicolor", thirdLabel));
    metrics.add(0, new float[] {0.8f, 0.1f, 0.1f});
    metrics.add(1, new float[] {0.1f, 0.7f, 0.2f});
    metrics.add(2, new float[] {0.1f, 0.3f, 0.6f});
    metrics.add(2, new float[] {0.2f, 0.5f, 0.3f});
    return EvaluationReport.of(
        "iris",
        "v3",
        "data/iris-holdout.csv",
        CREATED,
        metrics.result(),
        List.of("2 rows & 1 column ignored"));
  }

  @Test
  void render_shouldEscapeLabel_whenLabelHoldsMarkup() {
    // given
    EvaluationReport report = classificationReport(HOSTILE);

    // when
    String html = ReportHtml.render(report);

    // then
    assertThat(html)
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .doesNotContainIgnoringCase("<script");
  }

  @Test
  void render_shouldBeSelfContained_whenClassificationReport() {
    // given
    EvaluationReport report = classificationReport("virginica");

    // when
    String html = ReportHtml.render(report);

    // then
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<style>")
        .doesNotContain("http://", "https://", "<script", "src=", "href=", "url(", "@import");
    // confusion matrix, ROC, precision-recall, calibration
    assertThat(svgs(html)).hasSize(4);
  }

  @Test
  void render_shouldShowHeaderAndHeadline_whenClassificationReport() {
    // given
    EvaluationReport report = classificationReport("virginica");

    // when
    String html = ReportHtml.render(report);

    // then: 3 of 4 right
    assertThat(html)
        .contains("<h1>iris <span class=\"version\">v3</span></h1>")
        .contains("data/iris-holdout.csv", "2025-06-01T12:00:00Z", "<dd>4</dd>")
        .contains("Accuracy", "0.7500", "Macro F1", "Log loss", "ROC AUC (macro)")
        .contains("2 rows &amp; 1 column ignored");
  }

  @Test
  void render_shouldDrawConfusionCountsAndAxes_whenClassificationReport() {
    // given
    EvaluationReport report = classificationReport("virginica");

    // when
    String confusion = svgs(ReportHtml.render(report)).get(0);

    // then: 9 cells, the diagonal 1, 1, 1 and the miss virginica→versicolor
    assertThat(confusion).contains(">Predicted</text>", ">True</text>", ">virginica</text>");
    assertThat(Pattern.compile("<rect ").matcher(confusion).results().count()).isEqualTo(9);
    assertThat(confusion).contains("true virginica, predicted versicolor: 1 (50% of row)");
  }

  @Test
  void render_shouldDrawCurvePerClassAndDiagonal_whenClassificationReport() {
    // given
    EvaluationReport report = classificationReport("virginica");

    // when
    String roc = svgs(ReportHtml.render(report)).get(1);

    // then
    assertThat(Pattern.compile("<polyline ").matcher(roc).results().count()).isEqualTo(3);
    assertThat(roc).contains("class=\"diagonal\"", "setosa  AUC 1.0000");
  }

  @Test
  void render_shouldWriteWellFormedSvg_whenLabelHoldsMarkup() throws Exception {
    // given
    EvaluationReport report = classificationReport(HOSTILE + " & \"quotes\"");

    // when
    List<String> svgs = svgs(ReportHtml.render(report));

    // then: each SVG parses as XML, so no label broke out of its element or attribute
    for (String svg : svgs) {
      DocumentBuilderFactory.newInstance()
          .newDocumentBuilder()
          .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(svgs).hasSize(4);
  }

  @Test
  void render_shouldShowNotAvailable_whenAucUndefined() {
    // given
    EvaluationReport report =
        EvaluationReport.of(
            "iris",
            "v3",
            "data/x.csv",
            CREATED,
            EvaluationReportTest.classificationWithMissingClass(),
            null);

    // when
    String html = ReportHtml.render(report);

    // then
    assertThat(html).contains("n/a").doesNotContain("NaN");
  }

  @Test
  void render_shouldShowRegressionMetricsWithoutCharts_whenRegressionReport() {
    // given
    RegressionMetrics metrics = new RegressionMetrics();
    metrics.add(1, 1.5);
    metrics.add(2, 2);
    EvaluationReport report =
        EvaluationReport.of("price", "v1", "data/<p>.csv", CREATED, metrics.result(), null);

    // when
    String html = ReportHtml.render(report);

    // then
    assertThat(html)
        .contains("MAE", "0.2500", "RMSE", "R\u00b2", "data/&lt;p&gt;.csv")
        .doesNotContain("<svg", "<table");
  }

  private static List<String> svgs(String html) {
    Matcher matcher = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
    List<String> svgs = new ArrayList<>();
    while (matcher.find()) {
      svgs.add(matcher.group());
    }
    return svgs;
  }

  @Test
  void render_shouldGiveEachOfTenClassesItsOwnPanels_whenTheyWouldOverlap() throws Exception {
    // given ten classes scored well, as MNIST is
    List<String> labels = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    ClassificationMetrics metrics = new ClassificationMetrics(labels);
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 500; i++) {
      int label = i % 10;
      float[] p = new float[10];
      int guess = random.nextInt(20) == 0 ? (label + 1) % 10 : label;
      p[guess] = 0.9f;
      for (int c = 0; c < 10; c++) {
        p[c] += c == guess ? 0 : 0.1f / 9;
      }
      metrics.add(label, p);
    }
    EvaluationReport report =
        EvaluationReport.of("mnist", "1", "labelled/mnist/x.csv", CREATED, metrics.result(), null);

    // when
    String html = ReportHtml.render(report);

    // then: ROC panels on a log scale, precision-recall panels, a reliability diagram, all parse
    assertThat(html)
        .contains("ROC curves per class, false-positive rate on a log scale")
        .contains(">0.001<")
        .contains("Precision-recall curves per class")
        .contains("Reliability diagram")
        .contains("Expected calibration error");
    for (String svg : html.split("<svg")) {
      if (svg.contains("</svg>")) {
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new java.io.ByteArrayInputStream(
                    ("<svg" + svg.substring(0, svg.indexOf("</svg>") + 6))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  void render_shouldListMisclassifiedRowsWithTheirInputs_whenTheDataIsATable() {
    EvaluationReport report =
        EvaluationReport.of(
            "iris",
            "2",
            "labelled/iris/x.csv",
            CREATED,
            classificationReport("virginica").metrics(),
            null,
            List.of(
                new Misclassified(
                    "row[7]", "virginica", "versicolor", 0.7, 0.2, null, "petal_length=4.9")));

    String html = ReportHtml.render(report);

    assertThat(html)
        .contains("Worst misclassified rows")
        .contains("row[7]")
        .contains("virginica (0.2000)")
        .contains("versicolor (0.7000)")
        .contains("petal_length=4.9");
  }

  @Test
  void render_shouldCaptionThumbnailsWithBothProbabilities() {
    EvaluationReport report =
        EvaluationReport.of(
            "mnist",
            "2",
            "labelled/mnist/x.csv",
            CREATED,
            classificationReport("virginica").metrics(),
            null,
            List.of(
                new Misclassified(
                    "row[3]",
                    "setosa",
                    "versicolor",
                    0.9,
                    0.05,
                    "data:image/png;base64,AA==",
                    null)));

    String html = ReportHtml.render(report);

    assertThat(html)
        .contains("true <b>setosa</b> at 0.0500, predicted <b>versicolor</b> at 0.9000");
  }
}
