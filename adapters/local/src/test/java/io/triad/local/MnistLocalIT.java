package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The documented MNIST command on the embedded runtime ({@code --triad.local.bootstrap=mnist}, the
 * settings in {@code application.yaml}): the bundled digits are seeded, the CNN is trained by the
 * child-process trainer, gated at accuracy 0.95, promoted and served for pictures over HTTP and as
 * uploads. Training takes 10-90 s on two shared cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MnistLocalIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TRAINING = Duration.ofMinutes(6);

  @TempDir static Path home;
  private Path bucket;
  private ConfigurableApplicationContext context;
  private String url;
  private LocalClient client;

  @BeforeAll
  void start() throws Exception {
    bucket = home.resolve("bucket");
    context =
        LocalApplication.start(
            "--triad.local.bucket=" + bucket,
            "--triad.local.port=0",
            "--triad.local.settle=100ms",
            "--triad.local.bootstrap=mnist");
    url = context.getBean(LocalHttpServer.class).url();
    client = new LocalClient(url);
    LocalClient.await(
        "mnist is promoted and served", () -> status("/v2/models/mnist/ready") == 200, TRAINING);
  }

  @AfterAll
  void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void start_should_promoteMnistAboveGate_when_bootstrapped() throws Exception {
    // when
    String version = Files.readString(bucket.resolve("models/mnist/aliases/production"));
    JsonNode manifest =
        JSON.readTree(bucket.resolve("models/mnist/" + version + "/manifest.json").toFile());

    // then
    assertThat(manifest.get("metrics").get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
    assertThat(manifest.get("preprocessing").get("kind").asText()).isEqualTo("image");
    String gate = Files.readString(bucket.resolve("evaluations/mnist/" + version + "/gate.html"));
    assertThat(gate).contains("Worst misclassified", "data:image/png;base64,");
    assertThat(bucket.resolve("candidates/mnist/" + version + "/training.html")).exists();
  }

  @Test
  void predict_should_labelDigit_when_pictureIsPosted() throws Exception {
    // given the first example digit, held out from training; its label is in its name
    Path example = example(0);
    byte[] png = Files.readAllBytes(example);

    // when
    HttpResponse<String> response =
        client.post(
            "/v1/models/mnist:predict",
            "{\"instances\":[{\"b64\":\"" + Base64.getEncoder().encodeToString(png) + "\"}]}");

    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode prediction = JSON.readTree(response.body()).get("predictions").get(0);
    assertThat(prediction.get("label").asText()).isEqualTo(label(example));
    assertThat(prediction.get("top_k")).hasSize(3);
  }

  @Test
  void upload_should_writePredictionOrFailure_when_picturesAreDropped() throws Exception {
    // when
    Path incoming = Files.createDirectories(bucket.resolve("incoming/mnist"));
    Path example = example(3);
    Files.write(incoming.resolve("three.png"), Files.readAllBytes(example));
    Files.write(incoming.resolve("notes.png"), "not a picture".getBytes());

    // then
    Path prediction = bucket.resolve("predictions/mnist/three.png.json");
    Path failure = bucket.resolve("failed/incoming/mnist/notes.png.error.json");
    LocalClient.await(
        "both uploads are handled",
        () -> Files.exists(prediction) && Files.exists(failure),
        Duration.ofSeconds(30));
    assertThat(JSON.readTree(prediction.toFile()).get("label").asText()).isEqualTo(label(example));
    assertThat(JSON.readTree(failure.toFile()).get("error").asText()).contains("not an image");
    assertThat(incoming.resolve("notes.png")).exists();
  }

  /** The {@code n}-th example picture, {@code picture-{n}-{label}.png}. */
  private Path example(int n) throws java.io.IOException {
    try (var files = Files.list(examples())) {
      return files
          .filter(
              f -> f.getFileName().toString().startsWith(DatasetSeeder.PICTURE_PREFIX + n + "-"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static String label(Path example) {
    String name = example.getFileName().toString();
    return name.substring(name.lastIndexOf('-') + 1, name.length() - ".png".length());
  }

  private Path examples() {
    return bucket.getParent().resolve("examples/mnist");
  }

  private int status(String path) {
    return client.get(path).statusCode();
  }
}
