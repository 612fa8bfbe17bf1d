package io.triad.functions.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A collector for tests: OTLP/HTTP with protobuf on 127.0.0.1, {@code /v1/traces} and {@code
 * /v1/metrics}, each message decoded with the protocol's own generated classes (the {@code
 * opentelemetry-proto} artifact) and kept. A real OpenTelemetry Collector cannot run here; what it
 * accepts is what these classes parse. Stopped by {@link #close}.
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();

  /** One span as a collector received it. */
  public record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      long startNanos,
      long endNanos,
      Map<String, String> attributes,
      int status) {}

  /** One data point of one metric. */
  public record ReceivedPoint(String service, String metric, Map<String, String> attributes) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<ReceivedPoint> points = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  public static OtlpReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    OtlpReceiver receiver = new OtlpReceiver(server);
    server.createContext("/v1/traces", receiver::traces);
    server.createContext("/v1/metrics", receiver::metrics);
    server.start();
    return receiver;
  }

  /** The base address a runtime is given as {@code triad.otlp.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  public List<ReceivedPoint> points() {
    return List.copyOf(points);
  }

  /** Requests that were not OTLP protobuf (bad content type or a message that did not parse). */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  /** Waits up to {@code wait} for at least {@code count} spans that pass {@code filter}. */
  public List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> filter, int count, Duration wait)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      List<ReceivedSpan> found = spans.stream().filter(filter).toList();
      if (found.size() >= count || Instant.now().isAfter(deadline)) {
        return found;
      }
      Thread.sleep(50);
    }
  }

  /** Waits up to {@code wait} for a data point that passes {@code filter}. */
  public List<ReceivedPoint> awaitPoints(Predicate<ReceivedPoint> filter, Duration wait)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      List<ReceivedPoint> found = points.stream().filter(filter).toList();
      if (!found.isEmpty() || Instant.now().isAfter(deadline)) {
        return found;
      }
      Thread.sleep(50);
    }
  }

  private void traces(HttpExchange exchange) throws IOException {
    byte[] body = body(exchange);
    if (body == null) {
      return;
    }
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      refuse(exchange, "traces: " + e.getMessage());
      return;
    }
    for (var resourceSpans : request.getResourceSpansList()) {
      String service = service(resourceSpans.getResource());
      for (var scope : resourceSpans.getScopeSpansList()) {
        for (var span : scope.getSpansList()) {
          spans.add(
              new ReceivedSpan(
                  service,
                  HEX.formatHex(span.getTraceId().toByteArray()),
                  HEX.formatHex(span.getSpanId().toByteArray()),
                  HEX.formatHex(span.getParentSpanId().toByteArray()),
                  span.getName(),
                  span.getKindValue(),
                  span.getStartTimeUnixNano(),
                  span.getEndTimeUnixNano(),
                  attributes(span.getAttributesList()),
                  span.getStatus().getCodeValue()));
        }
      }
    }
    answer(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
  }

  private void metrics(HttpExchange exchange) throws IOException {
    byte[] body = body(exchange);
    if (body == null) {
      return;
    }
    ExportMetricsServiceRequest request;
    try {
      request = ExportMetricsServiceRequest.parseFrom(body);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      refuse(exchange, "metrics: " + e.getMessage());
      return;
    }
    for (var resourceMetrics : request.getResourceMetricsList()) {
      String service = service(resourceMetrics.getResource());
      for (var scope : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          for (List<KeyValue> attributes : pointAttributes(metric)) {
            points.add(new ReceivedPoint(service, metric.getName(), attributes(attributes)));
          }
        }
      }
    }
    answer(exchange, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
  }

  private static List<List<KeyValue>> pointAttributes(Metric metric) {
    List<List<KeyValue>> all = new ArrayList<>();
    switch (metric.getDataCase()) {
      case SUM -> metric.getSum().getDataPointsList().forEach(p -> all.add(p.getAttributesList()));
      case GAUGE ->
          metric.getGauge().getDataPointsList().forEach(p -> all.add(p.getAttributesList()));
      case HISTOGRAM ->
          metric.getHistogram().getDataPointsList().forEach(p -> all.add(p.getAttributesList()));
      case EXPONENTIAL_HISTOGRAM ->
          metric
              .getExponentialHistogram()
              .getDataPointsList()
              .forEach(p -> all.add(p.getAttributesList()));
      case SUMMARY ->
          metric.getSummary().getDataPointsList().forEach(p -> all.add(p.getAttributesList()));
      default -> {}
    }
    return all;
  }

  private byte[] body(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (!"POST".equals(exchange.getRequestMethod())
        || type == null
        || !type.startsWith("application/x-protobuf")) {
      refuse(exchange, exchange.getRequestMethod() + " with content type " + type);
      return null;
    }
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    try (InputStream body = in) {
      return body.readAllBytes();
    }
  }

  private void refuse(HttpExchange exchange, String why) throws IOException {
    refused.add(why);
    exchange.sendResponseHeaders(400, -1);
    exchange.close();
  }

  private static void answer(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  private static String service(Resource resource) {
    return attributes(resource.getAttributesList()).getOrDefault("service.name", "");
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      out.put(kv.getKey(), text(kv.getValue()));
    }
    return out;
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> value.toString();
    };
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
