package io.triad.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Tag;
import io.triad.functions.metrics.MovedMeters;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.layout.MetricNames;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's metrics as Cloud Logging structured log lines, for the stack's log-based metrics
 * ({@code GcpMetrics} in infra): after each request or event, one JSON line on standard output per
 * thing a metric counted or timed since the last, {@code {"severity": "INFO", "triad_metric": name,
 * "value": v, tag: value, …}}, which Cloud Run parses into {@code jsonPayload}. A timer's value is
 * the milliseconds of one event (the mean, repeated, when several were timed; at most {@value
 * #MAX_LINES} lines a metric), a counter's what it counted. No API call is made.
 */
final class LogMetrics {
  /** The most lines one metric writes per flush. */
  static final int MAX_LINES = 100;

  private final MovedMeters moved;
  private final ObjectMapper json;
  private final PrintStream out;

  LogMetrics(TriadMetrics metrics, ObjectMapper json, PrintStream out) {
    this.moved = new MovedMeters(metrics);
    this.json = json;
    this.out = out;
  }

  /** Writes what moved since the last flush. */
  synchronized void flush() {
    for (String line : lines()) {
      out.println(line);
    }
    out.flush();
  }

  synchronized List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (MovedMeters.Moved meter : moved.take()) {
      ObjectNode line = json.createObjectNode();
      line.put("severity", "INFO");
      line.put("message", "metric " + meter.id().getName());
      line.put(MetricNames.LINE_NAME, meter.id().getName());
      line.put(MetricNames.LINE_VALUE, meter.value());
      for (Tag tag : meter.id().getTags()) {
        line.put(tag.getKey(), tag.getValue());
      }
      String text;
      try {
        text = json.writeValueAsString(line);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a metric line", e);
      }
      int copies = meter.timer() ? (int) Math.min(meter.count(), MAX_LINES) : 1;
      for (int i = 0; i < copies; i++) {
        lines.add(text);
      }
    }
    return lines;
  }
}
