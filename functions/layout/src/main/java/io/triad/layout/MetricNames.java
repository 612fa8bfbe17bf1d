package io.triad.layout;

import java.util.List;

/**
 * The core's metrics by name, with their tags and unit: what the functions record ({@code
 * TriadMetrics}), what the runtimes write as log lines, and what the stacks turn back into metrics
 * (GCP's log-based metrics), from one list.
 */
public final class MetricNames {

  /**
   * One metric.
   *
   * @param unit {@code ms} for a timer, {@code 1} for a counter
   */
  public record Metric(String name, String unit, List<String> tags, String description) {
    public boolean timer() {
      return unit.equals("ms");
    }
  }

  public static final Metric REQUESTS =
      new Metric(
          "triad.requests",
          "ms",
          List.of("model", "version", "route", "status"),
          "HTTP requests, by model, version, route and status");
  public static final Metric ERRORS =
      new Metric(
          "triad.request.errors",
          "1",
          List.of("model", "version", "route", "status"),
          "HTTP requests answered with a server error");
  public static final Metric PHASES =
      new Metric(
          "triad.request.phase",
          "ms",
          List.of("model", "version", "phase"),
          "Time in each phase of an HTTP request");
  public static final Metric FILES =
      new Metric(
          "triad.upload.files", "1", List.of("model", "outcome"), "Uploads handled, by outcome");
  public static final Metric ROWS =
      new Metric(
          "triad.upload.rows", "1", List.of("model"), "Rows scored or evaluated from uploads");
  public static final Metric GATE =
      new Metric(
          "triad.gate.decisions", "1", List.of("model", "decision"), "Promotion gate decisions");
  public static final Metric TRAINING =
      new Metric(
          "triad.training.jobs", "1", List.of("model", "outcome"), "Retraining jobs, by outcome");
  public static final Metric MODEL_LOADS =
      new Metric(
          "triad.model.load",
          "ms",
          List.of("model", "outcome"),
          "Time to fetch, check and load a model version");
  public static final Metric DRIFT =
      new Metric(
          "triad.drift.checks",
          "1",
          List.of("model", "version", "verdict"),
          "Drift checks of what a version is given against its training data");

  public static final Metric SHADOW =
      new Metric(
          "triad.shadow.requests",
          "ms",
          List.of("model", "version", "outcome"),
          "Requests copied to a shadow version, by outcome (agree, disagree, error, dropped)");

  public static final List<Metric> ALL =
      List.of(REQUESTS, ERRORS, PHASES, FILES, ROWS, GATE, TRAINING, MODEL_LOADS, DRIFT, SHADOW);

  /** The field of a metric log line that names the metric. */
  public static final String LINE_NAME = "triad_metric";

  /** The field of a metric log line that holds its value. */
  public static final String LINE_VALUE = "value";

  private MetricNames() {}
}
