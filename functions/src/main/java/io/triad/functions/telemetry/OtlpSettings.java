package io.triad.functions.telemetry;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Export over OpenTelemetry's protocol ({@code triad.otlp.*}): off unless {@code endpoint} is set.
 *
 * @param endpoint the collector's OTLP/HTTP base address, such as {@code http://127.0.0.1:4318}:
 *     spans go to {@code /v1/traces} and metrics to {@code /v1/metrics} under it (protobuf)
 * @param step how often metrics are sent (60 s by default)
 * @param headers sent with every export, for a collector that wants a key
 * @param service the {@code service.name} of everything sent; each runtime names its own ({@code
 *     triad-local}, {@code triad-aws-http}, ...)
 */
public record OtlpSettings(
    String endpoint, Duration step, Map<String, String> headers, String service) {
  public OtlpSettings {
    endpoint = endpoint == null || endpoint.isBlank() ? null : trimSlash(endpoint.trim());
    if (endpoint != null) {
      URI uri = URI.create(endpoint);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "triad.otlp.endpoint must be an http(s) address such as http://127.0.0.1:4318, got "
                + endpoint);
      }
    }
    step = step == null ? Duration.ofSeconds(60) : step;
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("triad.otlp.step must be positive, got " + step);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    service = service == null || service.isBlank() ? "triad" : service.trim();
  }

  /**
   * Names what {@code environment}'s runtime sends ({@code service.name}) unless {@code
   * triad.otlp.service} is set: a runtime's initializer calls it before the settings are bound.
   */
  public static void nameService(
      org.springframework.core.env.ConfigurableEnvironment environment, String service) {
    environment
        .getPropertySources()
        .addLast(
            new org.springframework.core.env.MapPropertySource(
                "triad-runtime-service", Map.of("triad.otlp.service", service)));
  }

  public static OtlpSettings off() {
    return new OtlpSettings(null, null, null, null);
  }

  public boolean on() {
    return endpoint != null;
  }

  /** The address spans are sent to. */
  public String traces() {
    return endpoint + "/v1/traces";
  }

  /** The address metrics are sent to. */
  public String metrics() {
    return endpoint + "/v1/metrics";
  }

  private static String trimSlash(String endpoint) {
    return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
  }
}
