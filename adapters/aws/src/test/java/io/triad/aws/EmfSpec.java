package io.triad.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The rules of CloudWatch's Embedded Metric Format specification ("Specification: Embedded metric
 * format", Amazon CloudWatch User Guide) that a document must meet for CloudWatch to extract its
 * metrics, checked against a parsed line: the official rules as the oracle, since CloudWatch Logs
 * itself cannot run here. Returns what is wrong; empty when nothing is.
 */
final class EmfSpec {
  static final int MAX_BYTES = 256 * 1024;
  static final int MAX_DIMENSIONS = 30;
  static final int MAX_METRICS = 100;
  static final int MAX_VALUES = 100;
  static final Set<String> UNITS =
      Set.of(
          "Seconds",
          "Microseconds",
          "Milliseconds",
          "Bytes",
          "Kilobytes",
          "Megabytes",
          "Gigabytes",
          "Terabytes",
          "Bits",
          "Kilobits",
          "Megabits",
          "Gigabits",
          "Terabits",
          "Percent",
          "Count",
          "Bytes/Second",
          "Kilobytes/Second",
          "Megabytes/Second",
          "Gigabytes/Second",
          "Terabytes/Second",
          "Bits/Second",
          "Kilobits/Second",
          "Megabits/Second",
          "Gigabits/Second",
          "Terabits/Second",
          "Count/Second",
          "None");

  private EmfSpec() {}

  static List<String> problems(String line, JsonNode root) {
    List<String> problems = new ArrayList<>();
    if (line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      problems.add("larger than a log event may be");
    }
    if (line.contains("\n")) {
      problems.add("not one line: Lambda would split it into several log events");
    }
    JsonNode aws = root.get("_aws");
    if (aws == null || !aws.isObject()) {
      return List.of("no _aws metadata object");
    }
    only(
        aws,
        Set.of("Timestamp", "CloudWatchMetrics", "LogGroupName", "LogStreamName"),
        "_aws",
        problems);
    if (!aws.path("Timestamp").canConvertToLong() || !aws.path("Timestamp").isIntegralNumber()) {
      problems.add("_aws.Timestamp is not a number of milliseconds");
    }
    JsonNode directives = aws.get("CloudWatchMetrics");
    if (directives == null || !directives.isArray()) {
      problems.add("_aws.CloudWatchMetrics is not an array");
      return problems;
    }
    for (JsonNode directive : directives) {
      only(directive, Set.of("Namespace", "Dimensions", "Metrics"), "MetricDirective", problems);
      String namespace = directive.path("Namespace").asText("");
      if (!directive.path("Namespace").isTextual()
          || namespace.isEmpty()
          || namespace.length() > 255) {
        problems.add("Namespace is not a string of 1-255 characters");
      }
      JsonNode sets = directive.get("Dimensions");
      if (sets == null || !sets.isArray()) {
        problems.add("Dimensions is not an array of dimension sets");
      } else {
        for (JsonNode set : sets) {
          if (!set.isArray() || set.size() > MAX_DIMENSIONS) {
            problems.add("a dimension set is not an array of at most 30 names");
            continue;
          }
          for (JsonNode name : set) {
            JsonNode value = root.get(name.asText());
            if (!name.isTextual() || value == null || !value.isTextual()) {
              problems.add("dimension " + name + " names no string member of the root");
            } else if (value.asText().isEmpty() || value.asText().length() > 1024) {
              problems.add("dimension " + name + " has a value of 0 or over 1024 characters");
            }
          }
        }
      }
      JsonNode metrics = directive.get("Metrics");
      if (metrics == null || !metrics.isArray() || metrics.size() > MAX_METRICS) {
        problems.add("Metrics is not an array of at most 100 definitions");
        continue;
      }
      for (JsonNode definition : metrics) {
        only(definition, Set.of("Name", "Unit", "StorageResolution"), "MetricDefinition", problems);
        String name = definition.path("Name").asText("");
        if (name.isEmpty() || name.length() > 1024) {
          problems.add("a metric has no name of 1-1024 characters");
          continue;
        }
        if (definition.has("Unit") && !UNITS.contains(definition.get("Unit").asText())) {
          problems.add(name + ": unit " + definition.get("Unit") + " is not a CloudWatch unit");
        }
        JsonNode value = root.get(name);
        boolean number = value != null && value.isNumber();
        boolean numbers =
            value != null
                && value.isArray()
                && value.size() > 0
                && value.size() <= MAX_VALUES
                && allNumbers(value);
        if (!number && !numbers) {
          problems.add(name + ": the root's member is not a number or an array of 1-100 numbers");
        }
      }
    }
    return problems;
  }

  private static boolean allNumbers(JsonNode array) {
    for (JsonNode value : array) {
      if (!value.isNumber()) {
        return false;
      }
    }
    return true;
  }

  private static void only(
      JsonNode object, Set<String> allowed, String what, List<String> problems) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(what + " has a member the specification does not define: " + name);
      }
    }
  }
}
