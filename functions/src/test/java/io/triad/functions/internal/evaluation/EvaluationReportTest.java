package io.triad.functions.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationReportTest {

  private static final Instant CREATED = Instant.parse("2025-06-01T12:00:00Z");

  private final ObjectMapper mapper =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Two rows of classes a and b; class c never occurs, so its AUC is undefined. */
  static ClassificationResult classificationWithMissingClass() {
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b", "c"));
    metrics.add(0, new float[] {0.8f, 0.1f, 0.1f});
    metrics.add(1, new float[] {0.3f, 0.6f, 0.1f});
    return metrics.result();
  }

  @Test
  void headline_shouldHoldClassificationKeys_whenClassificationReport() {
    // given
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b"));
    metrics.add(0, new float[] {0.9f, 0.1f});
    metrics.add(1, new float[] {0.4f, 0.6f});
    EvaluationReport report =
        EvaluationReport.of("iris", "v2", "data/iris.csv", CREATED, metrics.result(), null);

    // when / then
    assertThat(report.headline())
        .containsOnlyKeys("accuracy", "macro_f1", "log_loss", "roc_auc")
        .containsEntry("accuracy", 1.0)
        .containsEntry("roc_auc", 1.0);
  }

  @Test
  void headline_shouldHoldRegressionKeys_whenRegressionReport() {
    // given
    RegressionMetrics metrics = new RegressionMetrics();
    metrics.add(1, 2);
    metrics.add(3, 3);
    EvaluationReport report =
        EvaluationReport.of("price", "v1", "data/p.csv", CREATED, metrics.result(), List.of());

    // when / then
    assertThat(report.headline()).containsOnlyKeys("mae", "rmse", "r2").containsEntry("mae", 0.5);
  }

  @Test
  void json_shouldWriteNullAndNoNaN_whenAucUndefined() throws Exception {
    // given
    EvaluationReport report =
        EvaluationReport.of(
            "iris",
            "v2",
            "data/iris.csv",
            CREATED,
            classificationWithMissingClass(),
            List.of("one row skipped"));

    // when
    String json = mapper.writeValueAsString(report);

    // then
    JsonNode tree = mapper.readTree(json);
    assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    assertThat(tree.at("/metrics/task").asText()).isEqualTo("classification");
    assertThat(tree.at("/metrics/classes/2/rocAuc").isNull()).isTrue();
    assertThat(tree.at("/created").asText()).isEqualTo("2025-06-01T12:00:00Z");
    assertThat(tree.at("/rows").asLong()).isEqualTo(2);
    assertThat(tree.at("/metrics/confusionMatrix/1/1").asLong()).isEqualTo(1);
    assertThat(tree.has("headline")).isFalse();
  }

  @Test
  void headline_shouldOmitRocAuc_whenNoClassHasAuc() {
    // given: only class a occurs, so a has no negatives and b no positives
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b"));
    metrics.add(0, new float[] {0.9f, 0.1f});
    metrics.add(0, new float[] {0.4f, 0.6f});

    // when
    ClassificationResult result = metrics.result();

    // then
    assertThat(result.macroRocAuc()).isNull();
    assertThat(result.headline()).containsOnlyKeys("accuracy", "macro_f1", "log_loss");
  }

  @Test
  void json_shouldRoundTrip_whenClassificationReport() throws Exception {
    // given
    EvaluationReport report =
        EvaluationReport.of(
            "iris",
            "v2",
            "data/iris.csv",
            CREATED,
            classificationWithMissingClass(),
            List.of("note"));

    // when
    String json = mapper.writeValueAsString(report);
    EvaluationReport read = mapper.readValue(json, EvaluationReport.class);

    // then
    assertThat(read).isEqualTo(report);
  }

  @Test
  void json_shouldRoundTrip_whenRegressionReportWithUndefinedR2() throws Exception {
    // given
    RegressionMetrics metrics = new RegressionMetrics();
    metrics.add(2, 1);
    metrics.add(2, 4);
    EvaluationReport report =
        EvaluationReport.of("price", "v1", "data/p.csv", CREATED, metrics.result(), null);

    // when
    String json = mapper.writeValueAsString(report);

    // then
    assertThat(mapper.readTree(json).at("/metrics/r2").isNull()).isTrue();
    assertThat(mapper.readTree(json).at("/metrics/task").asText()).isEqualTo("regression");
    assertThat(mapper.readValue(json, EvaluationReport.class)).isEqualTo(report);
  }

  @Test
  void constructor_shouldReject_whenRowsDifferFromMetrics() {
    // given
    ClassificationResult metrics = classificationWithMissingClass();

    // when / then
    assertThatThrownBy(
            () ->
                new EvaluationReport("iris", "v2", "data/iris.csv", CREATED, 3, metrics, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_shouldTurnNaNIntoNull_whenResultBuiltByHand() {
    // when
    RegressionResult result = new RegressionResult(3, 1, 1, Double.NaN);

    // then
    assertThat(result.r2()).isNull();
  }
}
