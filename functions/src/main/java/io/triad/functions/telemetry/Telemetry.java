package io.triad.functions.telemetry;

import io.triad.functions.metrics.RequestPhases;
import io.triad.functions.metrics.TriadMetrics;
import java.util.Map;

/**
 * Spans, and metrics sent over OTLP, when {@code triad.otlp.endpoint} is set ({@link
 * OtlpSettings}); otherwise {@link #OFF}, which exports nothing and loads none of OpenTelemetry.
 * Either way every upload gets a {@link TraceContext}, which its outputs carry.
 *
 * <p>An HTTP request is drawn after it is answered, from what {@link RequestPhases} gathered: a
 * server span with one child per phase it ran (decode, preprocess, predict, postprocess), so the
 * request path pays nothing while it runs. An upload's span is begun when its event arrives, so its
 * id can be written into the outputs' metadata.
 */
public interface Telemetry extends AutoCloseable {

  /** Nothing exported; uploads still get trace contexts. */
  Telemetry OFF =
      new Telemetry() {
        @Override
        public Work begin(String name, TraceContext parent, Map<String, String> attributes) {
          TraceContext context = parent != null ? parent.child() : TraceContext.fresh();
          return new Work() {
            @Override
            public TraceContext context() {
              return context;
            }

            @Override
            public void end(Map<String, String> attributes, boolean failed) {}
          };
        }

        @Override
        public void request(FinishedRequest request) {}

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** OTLP export to {@code settings}' endpoint, or {@link #OFF} when it names none. */
  static Telemetry start(OtlpSettings settings, TriadMetrics metrics) {
    return settings.on() ? new OtlpTelemetry(settings, metrics) : OFF;
  }

  /** Begins the span of a piece of work, a child of {@code parent} or the first of a new trace. */
  Work begin(String name, TraceContext parent, Map<String, String> attributes);

  /** Draws a finished HTTP request and its phases. */
  void request(FinishedRequest request);

  /** Sends what waits (a Lambda invocation's end, before the environment is frozen). */
  void flush();

  @Override
  void close();

  /** A span begun and not yet ended. */
  interface Work {
    /** Its context: its trace and its own span id. */
    TraceContext context();

    /** Ends it, with {@code attributes} added; {@code failed} marks it an error. */
    void end(Map<String, String> attributes, boolean failed);
  }

  /**
   * An answered HTTP request.
   *
   * @param name the span's name: the method and the route's kind
   * @param parent the caller's trace context, or null for a new trace
   * @param attributes what the span carries (request id, model, version, route)
   * @param status the answer's status
   * @param startEpochNanos when it began, in nanoseconds since the epoch
   * @param startNanos when it began ({@link System#nanoTime()}), the origin of the phases' times
   * @param endNanos when it was answered ({@link System#nanoTime()})
   * @param phases what it spent in each phase
   */
  record FinishedRequest(
      String name,
      TraceContext parent,
      Map<String, String> attributes,
      int status,
      long startEpochNanos,
      long startNanos,
      long endNanos,
      RequestPhases.Gathered phases) {

    /** {@code nanos} ({@link System#nanoTime()}) as nanoseconds since the epoch. */
    public long epoch(long nanos) {
      return startEpochNanos + (nanos - startNanos);
    }
  }
}
