package io.triad.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Tag;
import io.triad.functions.metrics.MovedMeters;
import io.triad.functions.metrics.TriadMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's metrics ({@link TriadMetrics}) as CloudWatch Embedded Metric Format: at the end of
 * each invocation, one JSON line on standard output per metric that moved during it, which Lambda
 * sends to CloudWatch Logs and CloudWatch turns into metrics in namespace {@value #NAMESPACE}, the
 * metric's tags as its dimensions. No API call is made: the log line is the export. A counter gives
 * what it counted in the invocation (unit Count); a timer the time of each thing it timed
 * (Milliseconds; one value per event, as an execution environment handles one event at a time, or
 * their mean repeated for each when an invocation timed several).
 */
final class EmfMetrics {
  static final String NAMESPACE = "Triad";

  /** The most values one metric may carry in an EMF document. */
  static final int MAX_VALUES = 100;

  private final MovedMeters moved;
  private final ObjectMapper json;
  private final PrintStream out;

  EmfMetrics(TriadMetrics metrics, ObjectMapper json, PrintStream out) {
    this.moved = new MovedMeters(metrics);
    this.json = json;
    this.out = out;
  }

  /** Writes what moved since the last flush, stamped {@code timestampMillis}. */
  synchronized void flush(long timestampMillis) {
    for (String line : lines(timestampMillis)) {
      out.println(line);
    }
    out.flush();
  }

  /** The documents {@link #flush} writes. */
  synchronized List<String> lines(long timestampMillis) {
    List<String> lines = new ArrayList<>();
    for (MovedMeters.Moved meter : moved.take()) {
      lines.add(document(meter, timestampMillis));
    }
    return lines;
  }

  private String document(MovedMeters.Moved meter, long timestampMillis) {
    String name = meter.id().getName();
    ObjectNode root = json.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", timestampMillis);
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode dimensions = directive.putArray("Dimensions").addArray();
    for (Tag tag : meter.id().getTags()) {
      dimensions.add(tag.getKey());
      root.put(tag.getKey(), tag.getValue());
    }
    ObjectNode definition = directive.putArray("Metrics").addObject();
    definition.put("Name", name);
    if (meter.timer()) {
      definition.put("Unit", "Milliseconds");
      int events = (int) Math.min(meter.count(), MAX_VALUES);
      if (events == 1) {
        root.put(name, meter.total());
      } else {
        ArrayNode values = root.putArray(name);
        for (int i = 0; i < events; i++) {
          values.add(meter.value());
        }
      }
    } else {
      definition.put("Unit", "Count");
      root.put(name, meter.total());
    }
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an EMF document for " + name, e);
    }
  }
}
