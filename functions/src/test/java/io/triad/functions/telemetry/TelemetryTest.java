package io.triad.functions.telemetry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.OtlpReceiver;
import io.triad.functions.testing.OtlpReceiver.ReceivedSpan;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Traces and OTLP metrics through the real functions, sent to a collector on 127.0.0.1 ({@link
 * OtlpReceiver}) as the SDK and Micrometer's OTLP registry send them: a request continues its
 * caller's trace with a span per phase inside its own; an upload continues the uploader's trace
 * from the object's metadata into its outputs' metadata; with no endpoint nothing is sent and the
 * outputs still carry a trace context.
 */
class TelemetryTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @TempDir Path bucket;

  private ConfigurableApplicationContext start(String... settings) {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    String[] all = new String[settings.length + 1];
    all[0] = "triad.catalog=iris";
    System.arraycopy(settings, 0, all, 1, settings.length);
    return TriadTestApp.start(bucket, new RecordingTrainingLauncher(), all);
  }

  private static HttpAnswer predict(InferenceApi api, Map<String, String> headers) {
    return api.handle(
        new HttpCall("POST", "/v1/models/iris:predict", headers, TestModels.oneFlower()));
  }

  @Test
  void request_should_continueTheCallersTraceWithASpanPerPhase_when_anEndpointIsSet()
      throws Exception {
    try (OtlpReceiver collector = OtlpReceiver.start();
        ConfigurableApplicationContext app =
            start("triad.otlp.endpoint=" + collector.endpoint(), "triad.otlp.step=1s")) {
      // when a caller in a sampled trace asks for a prediction
      HttpAnswer answer =
          predict(
              app.getBean(InferenceApi.class),
              Map.of(
                  "content-type",
                  "application/json",
                  "traceparent",
                  "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
      assertThat(answer.status()).isEqualTo(200);

      // then the request's span is a child of the caller's, and each phase a child of it
      List<ReceivedSpan> trace =
          collector.awaitSpans(span -> span.traceId().equals(CALLER_TRACE), 5, WAIT);
      assertThat(trace).extracting(ReceivedSpan::name).contains("POST predict");
      ReceivedSpan server =
          trace.stream().filter(s -> s.name().equals("POST predict")).findFirst().orElseThrow();
      assertThat(server.parentSpanId()).isEqualTo(CALLER_SPAN);
      assertThat(server.service()).isEqualTo("triad");
      assertThat(server.kind()).as("SPAN_KIND_SERVER").isEqualTo(2);
      assertThat(server.attributes())
          .containsEntry("triad.model", "iris")
          .containsEntry("triad.model_version", "1")
          .containsEntry("triad.request_id", CALLER_TRACE)
          .containsEntry("http.response.status_code", "200");
      List<ReceivedSpan> phases =
          trace.stream().filter(s -> s.parentSpanId().equals(server.spanId())).toList();
      assertThat(phases)
          .extracting(ReceivedSpan::name)
          .containsExactlyInAnyOrder("decode", "preprocess", "predict", "postprocess");
      for (ReceivedSpan phase : phases) {
        assertThat(phase.startNanos()).isBetween(server.startNanos(), server.endNanos());
        assertThat(phase.endNanos()).isBetween(phase.startNanos(), server.endNanos());
      }
      // and the request's metrics reach the collector under the names every runtime uses
      assertThat(
              collector.awaitPoints(
                  point ->
                      point.metric().equals(TriadMetrics.REQUESTS)
                          && "iris".equals(point.attributes().get("model"))
                          && "triad".equals(point.service()),
                  WAIT))
          .isNotEmpty();
      assertThat(
              collector.awaitPoints(
                  point ->
                      point.metric().equals(TriadMetrics.PHASES)
                          && "predict".equals(point.attributes().get("phase")),
                  WAIT))
          .isNotEmpty();
      assertThat(collector.refused()).isEmpty();
    }
  }

  @Test
  void request_should_sendNothing_when_theCallerDidNotSample() throws Exception {
    try (OtlpReceiver collector = OtlpReceiver.start();
        ConfigurableApplicationContext app = start("triad.otlp.endpoint=" + collector.endpoint())) {
      String unsampled = "0af7651916cd43dd8448eb211c80319c";
      predict(
          app.getBean(InferenceApi.class),
          Map.of(
              "content-type",
              "application/json",
              "traceparent",
              "00-" + unsampled + "-b7ad6b7169203331-00"));
      // a sampled request after it, so there is something to wait for
      predict(
          app.getBean(InferenceApi.class),
          Map.of(
              "content-type",
              "application/json",
              "traceparent",
              "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
      app.getBean(Telemetry.class).flush();
      assertThat(collector.awaitSpans(s -> s.traceId().equals(CALLER_TRACE), 5, WAIT)).hasSize(5);
      assertThat(collector.spans()).noneMatch(s -> s.traceId().equals(unsampled));
    }
  }

  @Test
  void upload_should_carryTheUploadersTraceIntoItsOutput_when_theObjectNamesOne() throws Exception {
    try (OtlpReceiver collector = OtlpReceiver.start();
        ConfigurableApplicationContext app = start("triad.otlp.endpoint=" + collector.endpoint())) {
      BlobStore store = app.getBean(BlobStore.class);
      // given an upload whose uploader left its trace context in the object's metadata
      store.put(
          "incoming/iris/traced.csv",
          TestModels.incomingCsv(3, 1).getBytes(UTF_8),
          Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));

      // when it is scored
      Function<ObjectCreated, Outcome> onObjectCreated =
          app.getBean(FunctionCatalog.class).lookup("onObjectCreated");
      Outcome outcome = onObjectCreated.apply(ObjectCreated.of("incoming/iris/traced.csv"));
      assertThat(outcome).isInstanceOf(Outcome.Written.class);

      // then the output names the upload's span, in the uploader's trace
      String output = ((Outcome.Written) outcome).outputs().get(0);
      TraceContext written =
          TraceContext.parse(store.head(output).orElseThrow().metadata().get("traceparent"))
              .orElseThrow();
      assertThat(written.traceId()).isEqualTo(CALLER_TRACE);
      app.getBean(Telemetry.class).flush();
      List<ReceivedSpan> spans =
          collector.awaitSpans(s -> s.spanId().equals(written.spanId()), 1, WAIT);
      assertThat(spans).hasSize(1);
      ReceivedSpan upload = spans.get(0);
      assertThat(upload.name()).isEqualTo("upload incoming/iris");
      assertThat(upload.parentSpanId()).isEqualTo(CALLER_SPAN);
      assertThat(upload.attributes()).containsEntry("triad.outcome", "written");
      assertThat(upload.attributes().get("triad.upload_id")).startsWith("upload-");
    }
  }

  @Test
  void upload_should_stillWriteATraceContext_when_nothingIsExported() {
    try (ConfigurableApplicationContext app = start()) {
      BlobStore store = app.getBean(BlobStore.class);
      assertThat(app.getBean(Telemetry.class)).isSameAs(Telemetry.OFF);
      store.put("incoming/iris/plain.csv", TestModels.incomingCsv(3, 2).getBytes(UTF_8));
      store.put("incoming/iris/bad.csv", "sepal_length\nnot a number\n".getBytes(UTF_8));
      Function<ObjectCreated, Outcome> onObjectCreated =
          app.getBean(FunctionCatalog.class).lookup("onObjectCreated");

      Outcome scored = onObjectCreated.apply(ObjectCreated.of("incoming/iris/plain.csv"));
      Outcome failed = onObjectCreated.apply(ObjectCreated.of("incoming/iris/bad.csv"));

      // a new trace for each upload, in its output and in its failure record alike
      TraceContext first =
          TraceContext.parse(
                  store
                      .head(((Outcome.Written) scored).outputs().get(0))
                      .orElseThrow()
                      .metadata()
                      .get("traceparent"))
              .orElseThrow();
      TraceContext second =
          TraceContext.parse(
                  store
                      .head(io.triad.layout.BucketLayout.failureRecord("incoming/iris/bad.csv"))
                      .orElseThrow()
                      .metadata()
                      .get("traceparent"))
              .orElseThrow();
      assertThat(failed).isInstanceOf(Outcome.Failed.class);
      assertThat(first.traceId()).isNotEqualTo(second.traceId());
      assertThat(first.sampled()).isTrue();
    }
  }
}
