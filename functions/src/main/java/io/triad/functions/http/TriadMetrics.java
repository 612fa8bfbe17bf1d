package io.triad.functions.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;

/**
 * The metrics the core records, under the same names on every runtime; each runtime adds the
 * registry that exports them ({@link #registry()}: Prometheus text on the local runtime). With none
 * added they cost next to nothing.
 *
 * <ul>
 *   <li>{@value #REQUESTS}: every HTTP request's time (a histogram), by model, version (the one
 *       that answered), route and status;
 *   <li>{@value #ERRORS}: the requests answered 5xx, by the same tags.
 * </ul>
 *
 * Tags come from the route the core parsed, never from the raw path: a model not configured is
 * {@code -}, so a client cannot make new series by inventing paths.
 */
public final class TriadMetrics {
  public static final String REQUESTS = "triad.requests";
  public static final String ERRORS = "triad.request.errors";

  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();

  /** Where a runtime adds the registry that exports the metrics. */
  public CompositeMeterRegistry registry() {
    return registry;
  }

  void request(String model, String version, String route, int status, long nanos) {
    Timer.builder(REQUESTS)
        .description("HTTP requests, by model, version, route and status")
        .tags(
            "model", model, "version", version, "route", route, "status", Integer.toString(status))
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(Duration.ofNanos(nanos));
    if (status >= 500) {
      Counter.builder(ERRORS)
          .description("HTTP requests answered with a server error")
          .tags(
              "model",
              model,
              "version",
              version,
              "route",
              route,
              "status",
              Integer.toString(status))
          .register(registry)
          .increment();
    }
  }
}
