package io.triad.functions.bench;

import io.triad.functions.api.RequestId;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What request ids cost in process (issue 16: at most 5 µs on warm p50): the work they add to each
 * request (reading the caller's id or trace, or drawing one; the logging context; the header on the
 * answer), timed alone, beside a whole warm {@code handle} of {@code GET /v2/health/live} and of an
 * iris {@code :predict} in the same run, then the same two with a registry recording the core's
 * request metrics. Prints the p50 and p90 per call over batches of 1,000; no assertion, as these
 * machines are shared.
 *
 * <p>{@code ./mvnw -B -q -o -pl functions test-compile dependency:build-classpath
 * -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath && java -cp
 * functions/target/test-classes:functions/target/classes:$(cat functions/target/test.classpath)
 * io.triad.functions.bench.RequestIdCost}
 */
public final class RequestIdCost {
  private static final int BATCH = 1_000;
  private static final int BATCHES = 300;

  private RequestIdCost() {}

  public static void main(String[] args) throws Exception {
    Path bucket = Files.createTempDirectory("request-id-cost");
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      InferenceApi api = context.getBean(InferenceApi.class);
      TreeMap<String, String> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      given.put("x-request-id", "client-7f3a.retry:2");
      TreeMap<String, String> traced = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      traced.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
      TreeMap<String, String> none = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      HttpAnswer sample = HttpAnswer.json(200, "{\"live\":true}".getBytes());
      HttpCall live = new HttpCall("GET", "/v2/health/live", Map.of(), null);
      HttpCall predict =
          new HttpCall(
              "POST",
              "/v1/models/iris:predict",
              Map.of("content-type", "application/json"),
              ("{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,"
                      + "\"petal_length\":1.4,\"petal_width\":0.2}]}")
                  .getBytes());
      Map<String, Runnable> cases = new LinkedHashMap<>();
      cases.put("ids: caller's x-request-id", () -> idWork(given, sample));
      cases.put("ids: traceparent", () -> idWork(traced, sample));
      cases.put("ids: fresh id", () -> idWork(none, sample));
      cases.put("handle GET /v2/health/live", () -> api.handle(live));
      cases.put("handle POST iris :predict (1 row)", () -> api.handle(predict));
      // what each alias-routed request adds for the rollouts: one answer counted in its window
      io.triad.functions.rollout.LiveFigures figures =
          context.getBean(io.triad.functions.rollout.LiveFigures.class);
      cases.put(
          "live figures: one answer counted", () -> figures.answered("iris", "1", false, 900_000));
      System.out.printf("%-44s %12s %12s%n", "per call", "p50 ns", "p90 ns");
      for (var entry : cases.entrySet()) {
        print(entry.getKey(), time(entry.getValue()));
      }
      // the same two requests with a registry recording the core's metrics (Micrometer's simple
      // one, as the local runtime's Prometheus registry is not on this class path)
      context
          .getBean(io.triad.functions.metrics.TriadMetrics.class)
          .registry()
          .add(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
      print("handle GET /v2/health/live, metrics on", time(() -> api.handle(live)));
      print("handle POST iris :predict (1 row), metrics on", time(() -> api.handle(predict)));
    }
    // and with spans drawn and sent over OTLP (triad.otlp.endpoint: off by default), to a
    // collector in this JVM; a caller's traceparent makes each request a sampled child span
    try (io.triad.functions.testing.OtlpReceiver collector =
            io.triad.functions.testing.OtlpReceiver.start();
        ConfigurableApplicationContext context =
            TriadTestApp.start(
                bucket,
                new RecordingTrainingLauncher(),
                "triad.catalog=iris",
                "triad.otlp.endpoint=" + collector.endpoint())) {
      InferenceApi api = context.getBean(InferenceApi.class);
      HttpCall traced =
          new HttpCall(
              "POST",
              "/v1/models/iris:predict",
              Map.of(
                  "content-type",
                  "application/json",
                  "traceparent",
                  "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
              ("{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,"
                      + "\"petal_length\":1.4,\"petal_width\":0.2}]}")
                  .getBytes());
      print("handle POST iris :predict, spans + OTLP on", time(() -> api.handle(traced)));
    }
  }

  private static void print(String name, long[] perCall) {
    System.out.printf(
        "%-44s %12d %12d%n", name, perCall[perCall.length / 2], perCall[perCall.length * 9 / 10]);
  }

  /** What handle adds for the id: read or draw it, hold it in the MDC, put it on the answer. */
  private static void idWork(Map<String, String> headers, HttpAnswer answer) {
    String id = RequestId.of(headers::get);
    org.slf4j.MDC.put(RequestId.MDC_KEY, id);
    Map<String, String> withId = new LinkedHashMap<>(answer.headers());
    withId.put(RequestId.HEADER, id);
    new HttpAnswer(answer.status(), withId, answer.body());
    org.slf4j.MDC.remove(RequestId.MDC_KEY);
  }

  /** Nanoseconds per call of each batch after a warm-up, sorted. */
  private static long[] time(Runnable call) {
    for (int i = 0; i < 20 * BATCH; i++) {
      call.run();
    }
    long[] perCall = new long[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
      long start = System.nanoTime();
      for (int i = 0; i < BATCH; i++) {
        call.run();
      }
      perCall[b] = (System.nanoTime() - start) / BATCH;
    }
    Arrays.sort(perCall);
    return perCall;
  }
}
