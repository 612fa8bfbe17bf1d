package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.FileSystemBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerMainTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final String OUTPUT = "candidates/iris/v2/";

  @TempDir Path bucket;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final TrainerMain trainer =
      new TrainerMain(
          new PrintStream(errBytes, true, StandardCharsets.UTF_8),
          Clock.fixed(NOW, ZoneOffset.UTC),
          false);
  private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

  @Test
  void run_should_writeVerifiedCandidate_when_trainedOnIris() throws IOException {
    // given
    FileSystemBlobStore store = IrisBucket.create(bucket);

    // when
    int code = trainer.run(args(store, OUTPUT, "--parent", "v1"));

    // then
    assertThat(code).as(err()).isZero();
    assertThat(store.list(OUTPUT))
        .extracting(b -> b.key().substring(OUTPUT.length()))
        .containsExactly(
            "checkpoint.bin",
            "holdout.csv",
            "manifest.json",
            "model.onnx",
            "training-rows.txt",
            "training.html",
            "training.json");
    ModelManifest manifest =
        json.readValue(store.read(OUTPUT + "manifest.json"), ModelManifest.class);
    assertThat(manifest.name()).isEqualTo("iris");
    assertThat(manifest.version()).isEqualTo("v2");
    assertThat(manifest.created()).isEqualTo(NOW);
    assertThat(manifest.sha256())
        .isEqualTo(CandidateTrainer.sha256(store.read(OUTPUT + "model.onnx")));
    assertThat(manifest.inputs())
        .containsExactly(new TensorSpec("features", "FP32", List.of(-1L, 4L)));
    assertThat(manifest.outputs())
        .containsExactly(new TensorSpec("probabilities", "FP32", List.of(-1L, 3L)));
    assertThat(manifest.preprocessing().kind()).isEqualTo("tabular");
    assertThat(manifest.preprocessing().scaledInModel()).isTrue();
    assertThat(manifest.preprocessing().target()).isEqualTo("species");
    assertThat(manifest.preprocessing().features())
        .extracting(ModelManifest.Feature::name)
        .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
    assertThat(manifest.postprocessing().labels())
        .containsExactly("setosa", "versicolor", "virginica");
    assertThat(manifest.postprocessing().softmax()).isFalse();
    assertThat(manifest.metrics().get("accuracy")).isGreaterThanOrEqualTo(0.93);
    assertThat(manifest.metrics()).containsKeys("log_loss", "macro_f1");
    assertThat(manifest.lineage().data()).isEqualTo(IrisBucket.DATA);
    assertThat(manifest.lineage().trainer()).isEqualTo("djl-0.35.1 pytorch mlp");
    assertThat(manifest.lineage().parentVersion()).isEqualTo("v1");
    // the profile of the rows it trained on, for drift: every training value of each feature
    io.triad.functions.model.DataProfile profile = manifest.profile();
    assertThat(profile.numeric().keySet())
        .containsExactlyInAnyOrder("sepal_length", "sepal_width", "petal_length", "petal_width");
    long trainRows = profile.rows();
    assertThat(profile.classes().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(trainRows);
    io.triad.functions.model.DataProfile.NumericProfile petal =
        profile.numeric().get("petal_length");
    assertThat(petal.complete()).isTrue();
    assertThat(petal.sample()).hasSize((int) trainRows).isSorted();
    assertThat(petal.min()).isEqualTo(petal.sample().get(0));
    assertThat(petal.mean()).isBetween(3.0, 4.5);
    String holdout = new String(store.read(OUTPUT + "holdout.csv"), StandardCharsets.UTF_8);
    assertThat(holdout.lines())
        .first()
        .isEqualTo("sepal_length,sepal_width,petal_length,petal_width,species");
    // the stable split: exactly the rows whose fingerprint is held out, about a fifth
    TabularDataset held = TabularDataset.of(CsvTable.parse(holdout, "holdout.csv"), null, "h");
    assertThat(
            java.util.Arrays.stream(held.fingerprints())
                .allMatch(f -> TrainingRows.heldOut(f, TrainerOptions.DEFAULT_HOLDOUT_FRACTION)))
        .isTrue();
    assertThat(held.size()).isBetween(20, 45);
    TrainingRows trained = TrainingRows.parse(store.read(OUTPUT + "training-rows.txt"));
    assertThat(java.util.Arrays.stream(held.fingerprints()).noneMatch(trained::contains)).isTrue();
    assertThat(trained.size() + held.size()).isLessThanOrEqualTo(150);
    JsonNode report = json.readTree(store.read(OUTPUT + "training.json"));
    assertThat(report.get("epochs")).hasSize(TrainerOptions.DEFAULT_EPOCHS);
    // no GPU here: --devices auto trains on the CPU, and says so with its rate
    assertThat(report.get("devices")).containsExactly(json.getNodeFactory().textNode("cpu"));
    assertThat(report.at("/epochs/0/examples").asInt()).isEqualTo(report.get("trainRows").asInt());
    assertThat(report.at("/epochs/0/examplesPerSecond").asDouble()).isPositive();
    assertThat(report.get("examplesPerSecondPerDevice").asDouble()).isPositive();
    assertThat(err()).contains("trainer: training on cpu", "examples/s on cpu");
    assertThat(new String(store.read(OUTPUT + "training.html"), StandardCharsets.UTF_8))
        .contains("trained on", "examples/s per device");
  }

  @Test
  void run_should_failAtOnceNotRetried_when_gpusAreAskedForAndTheEngineSeesNone() {
    // given: this machine's libtorch is the CPU build, so the engine sees no GPU
    FileSystemBlobStore store = IrisBucket.create(bucket);

    // when
    int code = trainer.run(args(store, OUTPUT, "--devices", "gpu:0,1"));

    // then: exit 1, which AWS Batch and Cloud Batch do not retry; no candidate, no CPU fall-back
    assertThat(code).isEqualTo(1);
    assertThat(err())
        .contains("--devices gpu:0,1 asks for gpu:0, but the PyTorch engine sees no GPU")
        .doesNotContain("trainer: epoch");
    assertThat(store.list(OUTPUT)).noneMatch(b -> b.key().endsWith("manifest.json"));
  }

  @Test
  void run_should_matchDjlOnEveryHoldoutRow_when_storedModelRunsInOnnxRuntime() {
    // given a candidate written by the trainer
    FileSystemBlobStore store = IrisBucket.create(bucket);
    assertThat(trainer.run(args(store, OUTPUT))).as(err()).isZero();
    CsvTable holdoutTable =
        CsvTable.parse(
            new String(store.read(OUTPUT + "holdout.csv"), StandardCharsets.UTF_8), "holdout.csv");
    TabularDataset holdout = TabularDataset.of(holdoutTable, null, "holdout.csv");

    // when the same seeded training runs again from its parts, and ORT runs the stored file
    TabularDataset data =
        TabularDataset.of(
            CsvTable.parse(new String(store.read(IrisBucket.DATA), StandardCharsets.UTF_8), "iris"),
            null,
            "iris");
    DatasetSplit split =
        DatasetSplit.stable(
            data.fingerprints(), data.y(), 3, TrainerOptions.DEFAULT_HOLDOUT_FRACTION);
    FeatureScaler scaler = data.scaler(split.train());
    float[][] djl;
    try (TrainedMlp mlp =
        new MlpTrainer(
                new MlpTrainer.Config(
                    TrainerOptions.DEFAULT_HIDDEN,
                    TrainerOptions.DEFAULT_EPOCHS,
                    TrainerOptions.DEFAULT_BATCH_SIZE,
                    TrainerOptions.DEFAULT_LEARNING_RATE,
                    TrainerOptions.DEFAULT_SEED),
                stats -> {})
            .train(
                scaler.scale(DatasetSplit.rows(data.x(), split.train())),
                DatasetSplit.rows(data.y(), split.train()),
                3)) {
      djl = mlp.predict(scaler.scale(holdout.x()));
    }
    float[][] ort =
        new OnnxScorer(OrtEnvironment.getEnvironment())
            .score(store.read(OUTPUT + "model.onnx"), holdout.x());

    // then
    assertThat(ort).hasNumberOfRows(split.holdout().length);
    for (int r = 0; r < ort.length; r++) {
      for (int c = 0; c < 3; c++) {
        assertThat((double) ort[r][c])
            .as("row %d class %d", r, c)
            .isCloseTo(djl[r][c], org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }

  @Test
  void run_should_repeatMetricsAndModel_when_seedIsTheSame() throws IOException {
    // given
    FileSystemBlobStore store = IrisBucket.create(bucket);

    // when
    int first = trainer.run(args(store, "candidates/iris/a/", "--epochs", "20"));
    int second = trainer.run(args(store, "candidates/iris/b/", "--epochs", "20"));

    // then
    assertThat(first).as(err()).isZero();
    assertThat(second).as(err()).isZero();
    ModelManifest a =
        json.readValue(store.read("candidates/iris/a/manifest.json"), ModelManifest.class);
    ModelManifest b =
        json.readValue(store.read("candidates/iris/b/manifest.json"), ModelManifest.class);
    assertThat(b.metrics()).isEqualTo(a.metrics());
    assertThat(b.sha256()).isEqualTo(a.sha256());
  }

  @Test
  void run_should_keepTheSameEvaluationRows_when_theSeedOrTheRowOrderChanges() throws IOException {
    // given iris, and the same rows shuffled, trained with another seed
    FileSystemBlobStore store = IrisBucket.create(bucket);
    List<String> lines =
        new ArrayList<>(
            new String(store.read(IrisBucket.DATA), StandardCharsets.UTF_8).lines().toList());
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    java.util.Collections.shuffle(rows, new java.util.Random(7));
    store.put(
        "data/iris/shuffled.csv",
        (lines.get(0) + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8));

    // when
    assertThat(trainer.run(args(store, "candidates/iris/a/", "--epochs", "5"))).isZero();
    assertThat(
            trainer.run(
                argsWithData(
                    store,
                    "data/iris/shuffled.csv",
                    "candidates/iris/b/",
                    "--epochs",
                    "5",
                    "--seed",
                    "7")))
        .as(err())
        .isZero();

    // then the same rows are held out
    assertThat(
            new String(store.read("candidates/iris/b/holdout.csv"), StandardCharsets.UTF_8)
                .lines()
                .sorted())
        .containsExactlyElementsOf(
            new String(store.read("candidates/iris/a/holdout.csv"), StandardCharsets.UTF_8)
                .lines()
                .sorted()
                .toList());
  }

  @Test
  void run_should_exportOneHotColumns_when_aFeatureIsText() throws IOException {
    // given iris with a text column in front
    FileSystemBlobStore store = IrisBucket.create(bucket);
    StringBuilder csv = new StringBuilder();
    new String(store.read(IrisBucket.DATA), StandardCharsets.UTF_8)
        .lines()
        .forEach(
            line -> {
              String size =
                  line.startsWith("sepal_length")
                      ? "size"
                      : Double.parseDouble(line.split(",")[0]) > 5.8 ? "big" : "small";
              csv.append(size).append(',').append(line).append('\n');
            });
    store.put("data/iris-sized.csv", csv.toString().getBytes(StandardCharsets.UTF_8));

    // when
    int code = trainer.run(argsWithData(store, "data/iris-sized.csv", OUTPUT, "--epochs", "20"));

    // then
    assertThat(code).as(err()).isZero();
    ModelManifest manifest =
        json.readValue(store.read(OUTPUT + "manifest.json"), ModelManifest.class);
    assertThat(manifest.inputs().get(0).shape()).containsExactly(-1L, 6L);
    assertThat(manifest.preprocessing().features().get(0))
        .isEqualTo(ModelManifest.Feature.categorical("size", List.of("big", "small")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "empty.csv          | data file data/bad.csv is empty",
        "header-only.csv    | data file data/bad.csv has a header but no rows",
        "missing-column.csv | data/bad.csv line 21: 4 values, but the header has 5 columns [sepal_length, sepal_width, petal_length, petal_width, species]",
        "garbage-number.csv | data/bad.csv line 21: column 'sepal_width' is numeric but holds 'about three'",
      })
  void run_should_failWithoutManifest_when_dataIsInvalid(String fixture, String message) {
    // given
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    store.put("data/bad.csv", IrisBucket.resource("data/invalid/" + fixture));

    // when
    int code = trainer.run(argsWithData(store, "data/bad.csv", OUTPUT));

    // then
    assertThat(code).isEqualTo(1);
    assertThat(err()).isEqualTo("trainer: error: " + message + System.lineSeparator());
    assertThat(store.list("candidates/")).isEmpty();
  }

  @Test
  void run_should_failWithoutManifest_when_dataObjectIsMissing() {
    // given
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);

    // when
    int code = trainer.run(args(store, OUTPUT));

    // then
    assertThat(code).isEqualTo(1);
    assertThat(err()).startsWith("trainer: error: no data object 'data/iris.csv' in file:");
    assertThat(store.list("candidates/")).isEmpty();
  }

  @Test
  void run_should_exitWorthRetrying_when_theStoreCannotBeReached() {
    // when
    int code =
        trainer.run(
            "--store",
            "unreachable://triad",
            "--model",
            "iris",
            "--version",
            "2",
            "--data",
            "data/iris.csv",
            "--output",
            OUTPUT);

    // then: not the job's fault, so the batch services may try again (exit 2, not 1)
    assertThat(code).isEqualTo(TrainerMain.ATTEMPT_FAILED);
    assertThat(err()).startsWith("trainer: error: UncheckedIOException: opening unreachable:");
  }

  @Test
  void run_should_explainUsage_when_anOptionIsMissingOrUnknown() {
    // when
    int missing = trainer.run("--store", bucket.toString(), "--model", "iris");
    int unknown = trainer.run("--stor", bucket.toString());

    // then
    assertThat(missing).isEqualTo(1);
    assertThat(unknown).isEqualTo(1);
    assertThat(err().lines()).hasSize(2);
    assertThat(err().lines().toList().get(0))
        .startsWith("trainer: error: missing --version; usage: TrainerMain");
    assertThat(err().lines().toList().get(1)).startsWith("trainer: error: unknown option '--stor'");
  }

  private String[] args(FileSystemBlobStore store, String output, String... extra) {
    return argsWithData(store, IrisBucket.DATA, output, extra);
  }

  private String[] argsWithData(
      FileSystemBlobStore store, String data, String output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--store",
                store.uri(),
                "--model",
                "iris",
                "--version",
                "v2",
                "--data",
                data,
                "--output",
                output));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }
}
