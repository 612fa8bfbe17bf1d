package io.triad.functions.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.ColourModels;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Serving an image model Triad did not train: an ONNX file built elsewhere (here by {@link
 * ColourModels}) with a hand-written manifest from {@code src/test/resources/models/}, in NCHW and
 * NHWC, over HTTP and as uploads, with every kind of bad picture.
 */
class ForeignImageModelTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir static Path bucket;
  private static ConfigurableApplicationContext context;
  private static InferenceApi api;
  private static BlobStore store;
  private static Function<ObjectCreated, Outcome> onObjectCreated;

  @BeforeAll
  static void start() {
    context = TriadTestApp.start(bucket, new RecordingTrainingLauncher());
    store = context.getBean(BlobStore.class);
    publish("colours-nchw", ColourModels.onnx(false));
    publish("colours-nhwc", ColourModels.onnx(true));
    api = context.getBean(InferenceApi.class);
    onObjectCreated =
        context.getBean(FunctionCatalog.class).lookup(Function.class, "onObjectCreated");
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static void publish(String name, byte[] onnx) {
    store.put(BucketLayout.modelFile(name, "1"), onnx);
    store.put(BucketLayout.manifest(name, "1"), resource("/models/" + name + "/manifest.json"));
    new TestModels(store).sign(name, "1");
    store.put(BucketLayout.alias(name, BucketLayout.PRODUCTION), "1".getBytes(UTF_8));
  }

  private static byte[] resource(String path) {
    try (InputStream in = ForeignImageModelTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpAnswer predict(String model, String body) {
    HttpAnswer answer =
        api.handle(
            new HttpCall(
                "POST",
                "/v1/models/" + model + ":predict",
                Map.of("content-type", "application/json"),
                body.getBytes(UTF_8)));
    assertThat(answer.status()).as("no internal errors").isNotEqualTo(500);
    return answer;
  }

  private static String b64(String fixture) {
    return Base64.getEncoder().encodeToString(resource("/images/" + fixture));
  }

  private static JsonNode json(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError(new String(body, UTF_8), e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"colours-nchw", "colours-nhwc"})
  void predict_shouldClassifyColours_whenModelIsForeignInEitherLayout(String model) {
    // when
    HttpAnswer answer =
        predict(
            model,
            "{\"instances\":[{\"b64\":\""
                + b64("red.png")
                + "\"},{\"b64\":\""
                + b64("blue.jpg")
                + "\"}]}");

    // then
    assertThat(answer.status()).as(new String(answer.body(), UTF_8)).isEqualTo(200);
    JsonNode predictions = json(answer.body()).get("predictions");
    assertThat(predictions.get(0).get("label").asText()).isEqualTo("red");
    assertThat(predictions.get(0).get("probability").asDouble()).isGreaterThan(0.99);
    assertThat(predictions.get(1).get("label").asText()).isEqualTo("blue");
    assertThat(predictions.get(1).get("top_k")).hasSize(2);
    assertThat(predictions.get(1).get("probabilities").has("red")).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "empty.png, 422, instances[0]: the image is empty",
    "not-an-image.png, 415, instances[0]: not an image",
    "truncated.png, 422, truncated or corrupt",
    "truncated.jpg, 422, truncated or corrupt",
    "bomb.png, 413, refused before decoding",
    "cmyk.jpg, 415, CMYK"
  })
  void predict_shouldAnswer4xx_whenPictureIsBad(String fixture, int status, String says) {
    // when
    HttpAnswer answer =
        predict("colours-nchw", "{\"instances\":[{\"b64\":\"" + b64(fixture) + "\"}]}");

    // then
    assertThat(answer.status()).isEqualTo(status);
    assertThat(json(answer.body()).get("error").asText()).contains(says);
  }

  @Test
  void predict_shouldAnswer200_whenPictureIsOnePixelOr16Bit() {
    // when
    HttpAnswer answer =
        predict(
            "colours-nchw",
            "{\"instances\":[{\"b64\":\""
                + b64("one-pixel.png")
                + "\"},{\"b64\":\""
                + b64("gray16.png")
                + "\"}]}");

    // then: both are pictures; the 16-bit one is scaled to 8 bits
    assertThat(answer.status()).as(new String(answer.body(), UTF_8)).isEqualTo(200);
    assertThat(json(answer.body()).get("predictions")).hasSize(2);
  }

  @Test
  void predict_shouldAnswer400_whenB64IsNotBase64OrMissing() {
    // when
    HttpAnswer notBase64 =
        predict("colours-nchw", "{\"instances\":[{\"b64\":\"%%% not base64 %%%\"}]}");
    HttpAnswer features = predict("colours-nchw", "{\"instances\":[{\"red\":1}]}");

    // then
    assertThat(notBase64.status()).isEqualTo(400);
    assertThat(json(notBase64.body()).get("error").asText())
        .contains("instances[0].b64 is not valid base64");
    assertThat(features.status()).isEqualTo(400);
  }

  @Test
  void onObjectCreated_shouldWritePrediction_whenPictureUploaded() throws IOException {
    // given
    store.put("incoming/colours-nhwc/photos/red.png", resource("/images/red.png"));

    // when
    Outcome outcome =
        onObjectCreated.apply(new ObjectCreated("incoming/colours-nhwc/photos/red.png", 0, null));

    // then
    assertThat(outcome).isInstanceOf(Outcome.Written.class);
    try (InputStream in = store.open("predictions/colours-nhwc/photos/red.png.json")) {
      JsonNode prediction = json(in.readAllBytes());
      assertThat(prediction.get("label").asText()).isEqualTo("red");
      assertThat(prediction.get("key").asText()).isEqualTo("incoming/colours-nhwc/photos/red.png");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "empty.png",
    "not-an-image.png",
    "truncated.png",
    "truncated.jpg",
    "bomb.png",
    "cmyk.jpg"
  })
  void onObjectCreated_shouldSetAsideWithReason_whenUploadedPictureIsBad(String fixture)
      throws IOException {
    // given
    String key = "incoming/colours-nchw/bad/" + fixture;
    store.put(key, resource("/images/" + fixture));

    // when
    Outcome outcome = onObjectCreated.apply(new ObjectCreated(key, 0, null));

    // then: a failed/ copy and its reason; the upload stays
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(store.exists(key)).isTrue();
    try (InputStream in = store.open("failed/" + key + ".error.json")) {
      assertThat(json(in.readAllBytes()).get("error").asText()).contains(key);
    }
  }

  @Test
  void onObjectCreated_shouldEvaluateFolderWithThumbnails_whenTriggerUploaded() throws IOException {
    // given: labelled pictures, one of them wrong on purpose (a blue picture filed as red)
    store.put("labelled/colours-nchw/red/a.png", resource("/images/red.png"));
    store.put("labelled/colours-nchw/red/b.jpg", resource("/images/blue.jpg"));
    store.put("labelled/colours-nchw/blue/c.jpg", resource("/images/blue.jpg"));
    store.put("labelled/colours-nchw/check.evaluate", new byte[0]);

    // when
    Outcome picture =
        onObjectCreated.apply(new ObjectCreated("labelled/colours-nchw/red/a.png", 0, null));
    Outcome outcome =
        onObjectCreated.apply(new ObjectCreated("labelled/colours-nchw/check.evaluate", 0, null));

    // then
    assertThat(picture).isInstanceOf(Outcome.Ignored.class);
    assertThat(outcome).isInstanceOf(Outcome.Written.class);
    assertThat(((Outcome.Written) outcome).rows()).isEqualTo(3);
    String html;
    try (InputStream in = store.open("evaluations/colours-nchw/1/check.html")) {
      html = new String(in.readAllBytes(), UTF_8);
    }
    assertThat(html)
        .contains(
            "Worst misclassified",
            "src=\"data:image/png;base64,",
            "labelled/colours-nchw/red/b.jpg");
    assertThat(html).doesNotContain("http://", "https://", "<script");
  }
}
