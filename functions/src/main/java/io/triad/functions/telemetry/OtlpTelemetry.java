package io.triad.functions.telemetry;

import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.triad.functions.metrics.RequestPhases;
import io.triad.functions.metrics.TriadMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Telemetry} over OTLP/HTTP with protobuf: spans through the OpenTelemetry SDK (batched, at
 * most 2,048 waiting, the rest dropped rather than held), metrics through Micrometer's OTLP
 * registry added beside the runtime's own, every {@code step}. A caller's sampled flag is obeyed
 * (parent-based sampling); a request with no caller context is sampled.
 */
final class OtlpTelemetry implements Telemetry {
  private static final Logger log = LoggerFactory.getLogger(OtlpTelemetry.class);
  private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final OtlpMeterRegistry meters;
  private final TriadMetrics metrics;

  OtlpTelemetry(OtlpSettings settings, TriadMetrics metrics) {
    this.metrics = metrics;
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), settings.service())));
    OtlpHttpSpanExporterBuilder exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.traces())
            .setTimeout(Duration.ofSeconds(10));
    settings.headers().forEach(exporter::addHeader);
    this.provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter.build())
                    .setMaxQueueSize(2048)
                    .setScheduleDelay(Duration.ofSeconds(1))
                    .build())
            .build();
    this.tracer = provider.get("io.triad");
    this.meters = new OtlpMeterRegistry(config(settings), Clock.SYSTEM);
    metrics.registry().add(meters);
    log.info(
        "exporting spans to {} and metrics to {} every {}",
        settings.traces(),
        settings.metrics(),
        settings.step());
  }

  private static OtlpConfig config(OtlpSettings settings) {
    return new OtlpConfig() {
      @Override
      public String get(String key) {
        return null;
      }

      @Override
      public String url() {
        return settings.metrics();
      }

      @Override
      public Duration step() {
        return settings.step();
      }

      @Override
      public Map<String, String> resourceAttributes() {
        return Map.of("service.name", settings.service());
      }

      @Override
      public Map<String, String> headers() {
        return settings.headers();
      }
    };
  }

  @Override
  public Work begin(String name, TraceContext parent, Map<String, String> attributes) {
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER);
    builder.setParent(parent != null ? remote(parent) : Context.root());
    attributes.forEach(builder::setAttribute);
    Span span = builder.startSpan();
    TraceContext context =
        span.getSpanContext().isValid()
            ? new TraceContext(
                span.getSpanContext().getTraceId(),
                span.getSpanContext().getSpanId(),
                span.getSpanContext().isSampled())
            : parent != null ? parent.child() : TraceContext.fresh();
    return new Work() {
      @Override
      public TraceContext context() {
        return context;
      }

      @Override
      public void end(Map<String, String> more, boolean failed) {
        more.forEach(span::setAttribute);
        if (failed) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      }
    };
  }

  @Override
  public void request(FinishedRequest request) {
    SpanBuilder builder =
        tracer
            .spanBuilder(request.name())
            .setSpanKind(SpanKind.SERVER)
            .setParent(request.parent() != null ? remote(request.parent()) : Context.root())
            .setStartTimestamp(request.startEpochNanos(), TimeUnit.NANOSECONDS)
            .setAttribute("http.response.status_code", (long) request.status());
    request.attributes().forEach(builder::setAttribute);
    Span server = builder.startSpan();
    if (server.getSpanContext().isSampled()) {
      Context within = Context.root().with(server);
      RequestPhases.Gathered phases = request.phases();
      for (RequestPhases.Phase phase : RequestPhases.Phase.values()) {
        if (phases.ran(phase)) {
          tracer
              .spanBuilder(phase.name().toLowerCase(java.util.Locale.ROOT))
              .setParent(within)
              .setStartTimestamp(request.epoch(phases.began(phase)), TimeUnit.NANOSECONDS)
              .setAttribute("triad.phase.spent_ns", phases.spent(phase))
              .startSpan()
              .end(request.epoch(phases.ended(phase)), TimeUnit.NANOSECONDS);
        }
      }
    }
    if (request.status() >= 500) {
      server.setStatus(StatusCode.ERROR);
    }
    server.end(request.epoch(request.endNanos()), TimeUnit.NANOSECONDS);
  }

  /** {@code parent} as the remote parent of a span. */
  private static Context remote(TraceContext parent) {
    return Context.root()
        .with(
            Span.wrap(
                SpanContext.createFromRemoteParent(
                    parent.traceId(),
                    parent.spanId(),
                    parent.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                    TraceState.getDefault())));
  }

  @Override
  public void flush() {
    provider.forceFlush().join(FLUSH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    provider.shutdown().join(FLUSH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    metrics.registry().remove(meters);
    meters.close();
  }
}
