package io.triad.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.triad.functions.metrics.TriadMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Map<Meter.Id, double[]> flushed = new HashMap<>();
  private final ObjectMapper json;
  private final PrintStream out;

  EmfMetrics(TriadMetrics metrics, ObjectMapper json, PrintStream out) {
    this.json = json;
    this.out = out;
    metrics.registry().add(meters);
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
    for (Meter meter : meters.getMeters()) {
      double[] now = totals(meter);
      if (now == null) {
        continue;
      }
      double[] before = flushed.getOrDefault(meter.getId(), new double[2]);
      double count = now[0] - before[0];
      if (count <= 0) {
        continue;
      }
      flushed.put(meter.getId(), now);
      lines.add(document(meter, count, now[1] - before[1], timestampMillis));
    }
    return lines;
  }

  /** {count, total}: a counter's count twice, a timer's count and total milliseconds. */
  private static double[] totals(Meter meter) {
    if (meter instanceof Counter counter) {
      return new double[] {counter.count(), counter.count()};
    }
    if (meter instanceof Timer timer) {
      return new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)};
    }
    return null;
  }

  private String document(Meter meter, double count, double total, long timestampMillis) {
    String name = meter.getId().getName();
    ObjectNode root = json.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", timestampMillis);
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode dimensions = directive.putArray("Dimensions").addArray();
    for (Tag tag : meter.getId().getTags()) {
      dimensions.add(tag.getKey());
      root.put(tag.getKey(), tag.getValue());
    }
    ObjectNode definition = directive.putArray("Metrics").addObject();
    definition.put("Name", name);
    if (meter instanceof Timer) {
      definition.put("Unit", "Milliseconds");
      int events = (int) Math.min(count, MAX_VALUES);
      if (events == 1) {
        root.put(name, total);
      } else {
        ArrayNode values = root.putArray(name);
        for (int i = 0; i < events; i++) {
          values.add(total / count);
        }
      }
    } else {
      definition.put("Unit", "Count");
      root.put(name, total);
    }
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an EMF document for " + name, e);
    }
  }
}
