package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.training.TrainingJob;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerOptionsTest {

  @Test
  void parse_should_readEveryOption_when_givenTrainingJobArguments() {
    // given
    TrainingJob job =
        new TrainingJob(
            "iris",
            "v7",
            "s3://bucket",
            "data/iris.csv",
            "candidates/iris/v7/",
            "v6",
            Map.of(
                "epochs",
                "5",
                "seed",
                "3",
                "holdout-fraction",
                "0.25",
                "hidden",
                "8",
                "learning-rate",
                "0.05",
                "batch-size",
                "4"));

    // when
    TrainerOptions options = TrainerOptions.parse(job.arguments());

    // then
    assertThat(options)
        .isEqualTo(
            new TrainerOptions(
                "s3://bucket",
                "iris",
                "v7",
                "data/iris.csv",
                "candidates/iris/v7/",
                "v6",
                5,
                3,
                0.25,
                8,
                0.05,
                4,
                null,
                TrainerOptions.AUTO,
                TrainerOptions.DEFAULT_FILTERS,
                TrainerOptions.DEFAULT_SHIFT,
                TrainingDevices.AUTO,
                TrainerOptions.DEFAULT_SHUFFLE_BUFFER_MB,
                null,
                null,
                null));
  }

  @Test
  void parse_should_readWhereTheJobWasPlacedAndWhy_when_aPlacementMovedIt() {
    // given a job placed on AWS after GCP refused it twice, as Retraining hands it over
    TrainingJob job =
        new TrainingJob(
                "iris", "v7", "gs://bucket", "data/iris.csv", "candidates/iris/v7/", null, Map.of())
            .placedOn(
                io.triad.functions.training.PlacementTarget.parse("aws/us-east-1/spot"),
                List.of("gcp/us-central1/spot:capacity", "gcp/us-central1/on-demand:quota"));

    // when
    TrainerOptions options = TrainerOptions.parse(job.arguments());

    // then training.json records it
    assertThat(options.placementRecord())
        .isEqualTo(
            Map.of(
                "target",
                "aws/us-east-1/spot",
                "refused",
                List.of(
                    Map.of("target", "gcp/us-central1/spot", "refusal", "capacity"),
                    Map.of("target", "gcp/us-central1/on-demand", "refusal", "quota"))));
  }

  @Test
  void parse_should_refuseAPlacementThatIsNone_when_givenByHand() {
    List<String> base =
        List.of(
            "--store",
            "/tmp/b",
            "--model",
            "iris",
            "--version",
            "v1",
            "--data",
            "d.csv",
            "--output",
            "candidates/iris/v1/");
    List<String> badTarget = new java.util.ArrayList<>(base);
    badTarget.addAll(List.of("--placement", "aws;rm -rf /"));
    List<String> badRefusal = new java.util.ArrayList<>(base);
    badRefusal.addAll(
        List.of("--placement", "aws/us-east-1", "--placement-refused", "gcp/us-central1:tired"));

    assertThatThrownBy(() -> TrainerOptions.parse(badTarget)).hasMessageContaining("--placement");
    assertThatThrownBy(() -> TrainerOptions.parse(badRefusal))
        .hasMessageContaining("target:refusal");
    assertThat(TrainerOptions.parse(base).placementRecord()).isNull();
  }

  @Test
  void parse_should_applyDefaultsAndEndThePrefixWithASlash_when_onlyRequiredOptionsAreGiven() {
    // when
    TrainerOptions options =
        TrainerOptions.parse(
            List.of(
                "--store",
                "/tmp/b",
                "--model",
                "iris",
                "--version",
                "v1",
                "--data",
                "d.csv",
                "--output",
                "candidates/iris/v1"));

    // then
    assertThat(options.output()).isEqualTo("candidates/iris/v1/");
    assertThat(options.parent()).isNull();
    assertThat(options.epochs()).isEqualTo(TrainerOptions.DEFAULT_EPOCHS);
    assertThat(options.holdoutFraction()).isEqualTo(TrainerOptions.DEFAULT_HOLDOUT_FRACTION);
  }

  @Test
  void parse_should_fail_when_aValueIsOutOfRange() {
    List<String> base =
        List.of(
            "--store",
            "b",
            "--model",
            "iris",
            "--version",
            "v1",
            "--data",
            "d",
            "--output",
            "o",
            "--epochs",
            "3");
    assertThatThrownBy(() -> TrainerOptions.parse(with(base, "--holdout-fraction", "1.5")))
        .hasMessage("--holdout-fraction must be above 0.0 and below 1.0, got 1.5");
    assertThatThrownBy(() -> TrainerOptions.parse(with(base, "--hidden", "many")))
        .hasMessage("--hidden must be an integer, got 'many'");
    assertThatThrownBy(() -> TrainerOptions.parse(with(base, "--epochs", "7")))
        .hasMessage("option --epochs given twice");
  }

  @Test
  void parse_should_fail_when_theOutputLeavesTheBucket() {
    assertThatThrownBy(
            () ->
                TrainerOptions.parse(
                    List.of(
                        "--store",
                        "b",
                        "--model",
                        "iris",
                        "--version",
                        "v1",
                        "--data",
                        "d",
                        "--output",
                        "../escape")))
        .isInstanceOf(TrainerException.class)
        .hasMessageStartingWith("invalid --output '../escape/'");
  }

  @Test
  void parse_should_fail_when_theModelNameIsInvalid() {
    assertThatThrownBy(
            () ->
                TrainerOptions.parse(
                    List.of(
                        "--store",
                        "b",
                        "--model",
                        "Iris!",
                        "--version",
                        "v1",
                        "--data",
                        "d",
                        "--output",
                        "o")))
        .isInstanceOf(TrainerException.class)
        .hasMessageStartingWith("invalid --model 'Iris!'");
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> all = new java.util.ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }
}
