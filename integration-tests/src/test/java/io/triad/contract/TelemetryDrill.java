package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.telemetry.TraceContext;
import io.triad.functions.testing.OtlpReceiver;
import io.triad.functions.testing.OtlpReceiver.ReceivedSpan;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Traces and OTLP metrics from a runtime as it is deployed (the suite points every runtime at one
 * collector on 127.0.0.1, {@link OtlpReceiver}, with {@code triad.otlp.endpoint}): a request in a
 * caller's trace comes back as a server span under the caller's with its phases inside, from the
 * runtime's own service; its metrics arrive under the same names as everywhere; an upload whose
 * object names a trace carries it through scoring into the output object's metadata and its span.
 */
final class TelemetryDrill {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The settings the suite starts every runtime with, less the collector's address. */
  static final Map<String, String> SETTINGS = Map.of("triad.otlp.step", "1s");

  private TelemetryDrill() {}

  /** The {@code service.name} each runtime's functions send as. */
  private static String service(RuntimeUnderTest runtime, boolean upload) {
    return switch (runtime.name()) {
      case "aws" -> upload ? "triad-aws-s3" : "triad-aws-http";
      default -> "triad-" + runtime.name();
    };
  }

  static void request(RuntimeUnderTest runtime, OtlpReceiver collector) throws Exception {
    // given a caller in a sampled trace of its own
    TraceContext caller = TraceContext.fresh();
    Answer answer =
        runtime.send(
            new ContractRequest(
                "telemetry drill",
                "POST",
                "/v1/models/iris:predict",
                Map.of("Content-Type", "application/json", "traceparent", caller.traceparent()),
                TestModels.oneFlower()));
    assertThat(answer.status()).as("%s: the request itself", runtime.name()).isEqualTo(200);

    // then its spans reach the collector: the request's under the caller's, the phases under it
    List<ReceivedSpan> trace =
        collector.awaitSpans(span -> span.traceId().equals(caller.traceId()), 5, WAIT);
    Optional<ReceivedSpan> server =
        trace.stream().filter(span -> span.parentSpanId().equals(caller.spanId())).findFirst();
    assertThat(server)
        .as("%s: a span under the caller's, in %s", runtime.name(), trace)
        .isPresent();
    assertThat(server.get().name()).isEqualTo("POST predict");
    assertThat(server.get().service()).isEqualTo(service(runtime, false));
    assertThat(server.get().attributes()).containsEntry("triad.model", "iris");
    assertThat(trace)
        .filteredOn(span -> span.parentSpanId().equals(server.get().spanId()))
        .extracting(ReceivedSpan::name)
        .containsExactlyInAnyOrder("decode", "preprocess", "predict", "postprocess");

    // and the request metric, from this runtime, under the name every runtime uses
    assertThat(
            collector.awaitPoints(
                point ->
                    point.metric().equals(TriadMetrics.REQUESTS)
                        && point.service().equals(service(runtime, false))
                        && "iris".equals(point.attributes().get("model")),
                WAIT))
        .as("%s: %s over OTLP", runtime.name(), TriadMetrics.REQUESTS)
        .isNotEmpty();
    assertThat(collector.refused()).isEmpty();
  }

  static void upload(RuntimeUnderTest runtime, OtlpReceiver collector) throws Exception {
    // given an upload whose object carries its uploader's trace context
    TraceContext uploader = TraceContext.fresh();
    String name = "telemetry-drill-" + runtime.name() + ".csv";
    String key = BucketLayout.incoming("iris") + name;
    runtime
        .bucket()
        .put(
            key,
            TestModels.incomingCsv(3, 7).getBytes(StandardCharsets.UTF_8),
            uploader.asMetadata());

    // when the runtime is told of it
    runtime.announce(key);

    // then the output carries the upload's span, in the uploader's trace
    String output = BucketLayout.predictions("iris", name, false);
    Instant deadline = Instant.now().plus(WAIT);
    while (runtime.bucket().head(output).isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    Optional<TraceContext> written =
        runtime
            .bucket()
            .head(output)
            .map(info -> info.metadata().get(TraceContext.TRACEPARENT))
            .flatMap(TraceContext::parse);
    assertThat(written)
        .as("%s: the trace context in %s's metadata%s", runtime.name(), output, logTail(runtime))
        .isPresent();
    assertThat(written.get().traceId()).isEqualTo(uploader.traceId());
    List<ReceivedSpan> spans =
        collector.awaitSpans(span -> span.spanId().equals(written.get().spanId()), 1, WAIT);
    assertThat(spans).as("%s: the upload's span", runtime.name()).hasSize(1);
    assertThat(spans.get(0).parentSpanId()).isEqualTo(uploader.spanId());
    assertThat(spans.get(0).service()).isEqualTo(service(runtime, true));
    assertThat(spans.get(0).attributes()).containsEntry("triad.outcome", "written");
  }

  private static String logTail(RuntimeUnderTest runtime) {
    String tail = runtime.logTail();
    return tail.isEmpty() ? "" : "\n" + tail;
  }
}
