package io.triad.layout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketLayoutTest {

  @Test
  void predictions_should_keepTheFoldersAndTheWholeName_when_namingAnOutput() {
    assertThat(BucketLayout.predictions("iris", "2026/flowers.csv", false))
        .isEqualTo("predictions/iris/2026/flowers.csv.jsonl");
    assertThat(BucketLayout.predictions("mnist", "x.png", true))
        .isEqualTo("predictions/mnist/x.png.json");
    // two uploads that differ only in their extension never share an output
    assertThat(BucketLayout.predictions("iris", "valid.csv", false))
        .isNotEqualTo(BucketLayout.predictions("iris", "valid.json", false))
        .isNotEqualTo(BucketLayout.predictions("iris", "valid.jsonl", false));
    assertThat(BucketLayout.predictions("mnist", "x.png", true))
        .isNotEqualTo(BucketLayout.predictions("mnist", "x.jpg", true));
    assertThat(BucketLayout.predictions("iris", ".hidden", false))
        .isEqualTo("predictions/iris/.hidden.jsonl");
    assertThat(BucketLayout.predictions("iris", "v1.2/rows", false))
        .isEqualTo("predictions/iris/v1.2/rows.jsonl");
  }

  @Test
  void keys_should_followTheDocumentedPatterns_when_built() {
    assertThat(BucketLayout.modelFile("iris", "3")).isEqualTo("models/iris/3/model.onnx");
    assertThat(BucketLayout.manifest("iris", "3")).isEqualTo("models/iris/3/manifest.json");
    assertThat(BucketLayout.alias("iris", BucketLayout.PRODUCTION))
        .isEqualTo("models/iris/aliases/production");
    assertThat(BucketLayout.candidateDir("iris", "3")).isEqualTo("candidates/iris/3/");
    assertThat(BucketLayout.trainingData("iris")).isEqualTo("data/iris/train.csv");
    assertThat(BucketLayout.failureRecord("incoming/iris/a.csv"))
        .isEqualTo("failed/incoming/iris/a.csv.error.json");
    assertThat(BucketLayout.evaluation("iris", "3", "check")).isEqualTo("evaluations/iris/3/check");
  }
}
