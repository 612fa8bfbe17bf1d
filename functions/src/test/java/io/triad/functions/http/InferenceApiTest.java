package io.triad.functions.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.PredictCall;
import io.triad.functions.api.RequestId;
import io.triad.functions.api.TriadJson;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP API end to end: a real Spring context with {@code TriadFunctions}, a bucket directory,
 * real sessions.
 */
class InferenceApiTest {
  private static final int MAX_BODY = 2048;
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir static Path bucket;
  private static ConfigurableApplicationContext context;
  private static InferenceApi api;

  @BeforeAll
  static void start() {
    TestModels models = new TestModels(new FileSystemBlobStore(bucket));
    models.publishIris("1");
    models.putIris("2", TestModels.irisOnnx());
    context =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.max-body-bytes=" + MAX_BODY,
            "triad.models.iris.training-data=data/iris/train.csv");
    api = context.getBean(InferenceApi.class);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static byte[] resource(String name) {
    try (InputStream in = InferenceApiTest.class.getResourceAsStream("/http/requests/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpAnswer call(String method, String path, String contentType, byte[] body) {
    Map<String, String> headers =
        contentType == null ? Map.of() : Map.of("content-type", contentType);
    HttpAnswer answer = api.handle(new HttpCall(method, path, headers, body));
    assertThat(answer.status()).as("no internal errors").isNotEqualTo(500);
    assertThat(answer.headers()).containsEntry("Content-Type", "application/json");
    return answer;
  }

  private static JsonNode ok(HttpAnswer answer) {
    assertThat(answer.status()).as(new String(answer.body(), UTF_8)).isEqualTo(200);
    return parse(answer);
  }

  private static JsonNode parse(HttpAnswer answer) {
    try {
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(answer.body(), UTF_8), e);
    }
  }

  private static List<String> labels(JsonNode predictions) {
    List<String> labels = new ArrayList<>();
    predictions.get("predictions").forEach(p -> labels.add(p.get("label").asText()));
    return labels;
  }

  @Test
  void handle_shouldAnswerHealthAndServer_whenGet() {
    // when / then
    assertThat(ok(call("GET", "/v2/health/live", null, null)).get("live").asBoolean()).isTrue();
    assertThat(ok(call("GET", "/v2/health/ready", null, null)).get("ready").asBoolean()).isTrue();
    JsonNode server = ok(call("GET", "/v2", null, null));
    assertThat(server.get("name").asText()).isEqualTo("triad");
    assertThat(server.has("version")).isTrue();
  }

  @Test
  void handle_shouldDescribeServedVersion_whenModelMetadataWithoutVersion() {
    // when
    JsonNode metadata = ok(call("GET", "/v2/models/iris", null, null));

    // then
    assertThat(metadata.get("name").asText()).isEqualTo("iris");
    assertThat(metadata.get("version").asText()).isEqualTo("1");
    assertThat(metadata.get("versions")).extracting(JsonNode::asText).containsExactly("1", "2");
    assertThat(metadata.get("platform").asText()).isEqualTo("onnxruntime_onnx");
    assertThat(metadata.get("inputs").get(0).get("name").asText()).isEqualTo("features");
    assertThat(metadata.get("inputs").get(0).get("datatype").asText()).isEqualTo("FP32");
    assertThat(metadata.get("outputs").get(0).get("shape"))
        .extracting(JsonNode::asLong)
        .containsExactly(-1L, 3L);
  }

  @Test
  void handle_shouldDescribeThatVersion_whenModelMetadataWithVersion() {
    // when
    JsonNode metadata = ok(call("GET", "/v2/models/iris/versions/2", null, null));

    // then
    assertThat(metadata.get("versions")).extracting(JsonNode::asText).containsExactly("2");
  }

  @Test
  void handle_shouldSayReady_whenModelReady() {
    // when / then
    assertThat(ok(call("GET", "/v2/models/iris/ready", null, null)).get("ready").asBoolean())
        .isTrue();
    JsonNode v2 = ok(call("GET", "/v2/models/iris/versions/2/ready", null, null));
    assertThat(v2.get("version").asText()).isEqualTo("2");
  }

  @Test
  void handle_shouldReturnProbabilities_whenInferWithoutVersion() {
    // when
    JsonNode response =
        ok(call("POST", "/v2/models/iris/infer", "application/json", resource("infer-iris.json")));

    // then
    assertThat(response.get("model_name").asText()).isEqualTo("iris");
    assertThat(response.get("model_version").asText()).isEqualTo("1");
    assertThat(response.get("id").asText()).isEqualTo("req-1");
    JsonNode output = response.get("outputs").get(0);
    assertThat(output.get("name").asText()).isEqualTo("probabilities");
    assertThat(output.get("shape")).extracting(JsonNode::asLong).containsExactly(2L, 3L);
    JsonNode data = output.get("data");
    assertThat(data).hasSize(6);
    assertThat(data.get(0).asDouble()).isGreaterThan(0.9);
    assertThat(data.get(5).asDouble()).isGreaterThan(0.9);
  }

  @Test
  void handle_shouldUseThatVersion_whenInferWithVersion() {
    // when
    JsonNode response =
        ok(
            call(
                "POST",
                "/v2/models/iris/versions/2/infer",
                "application/json; charset=utf-8",
                resource("infer-iris.json")));

    // then
    assertThat(response.get("model_version").asText()).isEqualTo("2");
  }

  @Test
  void handle_shouldReturnLabelsAndProbabilities_whenPredictWithNamedRecords() {
    // when
    JsonNode response =
        ok(
            call(
                "POST",
                "/v1/models/iris:predict",
                "application/json",
                resource("predict-records.json")));

    // then
    assertThat(response.get("model_version").asText()).isEqualTo("1");
    assertThat(labels(response)).containsExactly("setosa", "versicolor", "virginica");
    JsonNode first = response.get("predictions").get(0);
    assertThat(first.get("probabilities").size()).isEqualTo(3);
    assertThat(first.get("probability").asDouble())
        .isEqualTo(first.get("probabilities").get("setosa").asDouble());
  }

  @Test
  void handle_shouldReturnSameLabels_whenPredictWithPositionalArraysAndVersion() {
    // when
    JsonNode response =
        ok(
            call(
                "POST",
                "/v1/models/iris/versions/2:predict",
                null,
                resource("predict-positional.json")));

    // then
    assertThat(response.get("model_version").asText()).isEqualTo("2");
    assertThat(labels(response)).containsExactly("setosa", "versicolor", "virginica");
  }

  static Stream<Arguments> badCalls() {
    byte[] tooLarge =
        ("{\"instances\": [" + "[5.1, 3.5, 1.4, 0.2], ".repeat(100) + "[5.1, 3.5, 1.4, 0.2]]}")
            .getBytes(UTF_8);
    return Stream.of(
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            resource("malformed.json"),
            400,
            "malformed JSON"),
        Arguments.of(
            "POST", "/v2/models/iris/infer", "application/json", "[1, 2]".getBytes(UTF_8), 400, ""),
        Arguments.of(
            "POST", "/v2/models/iris/infer", "application/json", new byte[0], 400, "body is empty"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            "null".getBytes(UTF_8),
            400,
            "null"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "text/csv",
            resource("infer-iris.json"),
            415,
            "application/json"),
        Arguments.of(
            "POST",
            "/v2/models/nope/infer",
            "application/json",
            resource("infer-iris.json"),
            404,
            "nope"),
        Arguments.of(
            "POST",
            "/v2/models/iris/versions/9/infer",
            "application/json",
            resource("infer-iris.json"),
            404,
            "9"),
        Arguments.of("GET", "/v2/models/nope", null, null, 404, "nope"),
        Arguments.of("GET", "/v2/models/iris/versions/9", null, null, 404, "9"),
        Arguments.of("GET", "/v2/models/IRIS", null, null, 404, "IRIS"),
        Arguments.of(
            "POST",
            "/v1/models/nope:predict",
            "application/json",
            resource("predict-records.json"),
            404,
            "nope"),
        Arguments.of(
            "POST",
            "/v1/models/iris:predict",
            "application/json",
            tooLarge,
            413,
            "larger than the limit of " + MAX_BODY + " bytes"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            resource("infer-wrong-shape.json"),
            400,
            "the model expects [-1, 4]"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            resource("infer-wrong-datatype.json"),
            400,
            "the model expects FP32"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            resource("infer-nan.json"),
            422,
            "finite"),
        Arguments.of(
            "POST",
            "/v1/models/iris:predict",
            "application/json",
            resource("predict-missing-field.json"),
            422,
            "instances[0].petal_width is missing"),
        Arguments.of(
            "POST",
            "/v1/models/iris:predict",
            "application/json",
            resource("predict-string-number.json"),
            422,
            "instances[0].sepal_width must be a number"),
        Arguments.of(
            "POST",
            "/v1/models/iris:predict",
            "application/json",
            resource("predict-empty.json"),
            400,
            "non-empty"),
        Arguments.of(
            "POST",
            "/v1/models/iris:predict",
            "application/json",
            resource("predict-no-instances.json"),
            400,
            "instances"),
        Arguments.of("GET", "/v2/models/iris/infer", null, null, 405, "use POST"),
        Arguments.of("DELETE", "/v2/health/live", null, null, 405, "use GET"),
        Arguments.of("GET", "/v3/models", null, null, 404, "no route"),
        Arguments.of(
            "POST",
            "/v2/models/iris/explain",
            "application/json",
            resource("infer-iris.json"),
            404,
            "no route"));
  }

  @ParameterizedTest(name = "{0} {1} -> {4}")
  @MethodSource("badCalls")
  void handle_shouldAnswerJsonErrorWithoutStackTrace_whenCallIsBad(
      String method, String path, String contentType, byte[] body, int status, String message) {
    // when
    HttpAnswer answer = call(method, path, contentType, body);

    // then
    String text = new String(answer.body(), UTF_8);
    assertThat(answer.status()).as(text).isEqualTo(status);
    JsonNode error = parse(answer);
    assertThat(error.size()).as(text).isEqualTo(1);
    assertThat(error.get("error").asText()).contains(message);
    assertThat(text).doesNotContain("at io.", "Exception", "\tat ");
  }

  @Test
  void catalog_shouldComposePreprocessAndPredict_whenLookedUpByName() {
    // given
    FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
    Function<PredictCall, Object> composed = catalog.lookup(Function.class, "preprocess|predict");
    JsonNode instances =
        JSON.createObjectNode()
            .putArray("i")
            .add(JSON.createArrayNode().add(6.9).add(3.1).add(5.4).add(2.1));

    // when
    Object result = composed.apply(PredictCall.json("iris", null, List.of(instances.get(0))));

    // then
    assertThat(result)
        .isInstanceOfSatisfying(
            InferenceResponse.class,
            response -> {
              assertThat(response.modelVersion()).isEqualTo("1");
              assertThat((float[]) response.output("probabilities").data()).hasSize(3);
            });
  }

  @Test
  void handle_should_nameTheRequestInEveryAnswer_errorsToo() {
    HttpAnswer live =
        api.handle(new HttpCall("GET", "/v2/health/live", Map.of("X-Request-Id", "abc-1"), null));
    HttpAnswer missing = api.handle(new HttpCall("GET", "/v2/models/nope", Map.of(), null));
    HttpAnswer badJson =
        api.handle(
            new HttpCall(
                "POST",
                "/v2/models/iris/infer",
                Map.of(
                    "content-type",
                    "application/json",
                    "traceparent",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                "{".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(live.headers()).containsEntry(RequestId.HEADER, "abc-1");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.headers().get(RequestId.HEADER)).matches("[0-9a-f]{32}");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.headers())
        .containsEntry(RequestId.HEADER, "4bf92f3577b34da6a3ce929d0e0e4736");
    // the logging context holds the id only while the request is handled
    assertThat(org.slf4j.MDC.get(RequestId.MDC_KEY)).isNull();
  }

  @Test
  void handle_should_recordEachRequestUnderTheRoutesTagsNotThePath() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    TriadMetrics metrics = context.getBean(TriadMetrics.class);
    metrics.registry().add(meters);
    try {
      api.handle(new HttpCall("GET", "/v2/models/iris", Map.of(), null));
      api.handle(new HttpCall("GET", "/v2/models/no-such-model-1", Map.of(), null));
      api.handle(new HttpCall("GET", "/v2/models/no-such-model-2", Map.of(), null));

      assertThat(
              meters
                  .get(TriadMetrics.REQUESTS)
                  .tags("model", "iris", "route", "model", "status", "200")
                  .timer()
                  .count())
          .isEqualTo(1);
      // made-up names share one series
      assertThat(
              meters
                  .get(TriadMetrics.REQUESTS)
                  .tags("model", "-", "route", "model", "status", "404")
                  .timer()
                  .count())
          .isEqualTo(2);
      assertThat(meters.getMeters().toString()).doesNotContain("no-such-model");
    } finally {
      metrics.registry().remove(meters);
    }
  }

  @Test
  void handle_should_timeEachPhaseARequestRan_when_itPredicts() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    TriadMetrics metrics = context.getBean(TriadMetrics.class);
    metrics.registry().add(meters);
    try {
      // when a :predict and a metadata request are answered
      HttpAnswer predicted =
          api.handle(
              new HttpCall(
                  "POST",
                  "/v1/models/iris:predict",
                  Map.of("Content-Type", "application/json"),
                  "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}"
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      api.handle(new HttpCall("GET", "/v2/models/iris", Map.of(), null));

      // then the prediction's four phases are timed once each, under the version that answered
      assertThat(predicted.status()).isEqualTo(200);
      for (String phase : List.of("decode", "preprocess", "predict", "postprocess")) {
        io.micrometer.core.instrument.Timer timer =
            meters
                .get(TriadMetrics.PHASES)
                .tags("model", "iris", "version", "1", "phase", phase)
                .timer();
        assertThat(timer.count()).as(phase).isEqualTo(1);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
            .as(phase)
            .isPositive();
      }
      // a request that ran no phase adds none
      assertThat(meters.find(TriadMetrics.PHASES).timers()).allMatch(timer -> timer.count() == 1);
    } finally {
      metrics.registry().remove(meters);
    }
  }
}
