package io.triad.functions.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.triad.functions.api.Outcome;
import io.triad.functions.training.RetrainResult;
import io.triad.functions.training.RetrainingReport;
import io.triad.layout.BucketLayout;
import io.triad.layout.MetricNames;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The metrics the core records ({@link MetricNames}: names, tags, units), under the same names on
 * every runtime; each runtime adds the registry that exports them ({@link #registry()}: Prometheus
 * text on the local runtime). With none added they cost next to nothing.
 *
 * <ul>
 *   <li>{@code triad.requests}: every HTTP request's time (a histogram), by model, version (the one
 *       that answered), route and status;
 *   <li>{@code triad.request.errors}: the requests answered 5xx, by the same tags;
 *   <li>{@code triad.request.phase}: the time of each phase of a request that ran it ({@link
 *       RequestPhases}: decode, preprocess, predict, postprocess), by model, version and phase;
 *   <li>{@code triad.upload.files}: uploads handled, by model and outcome (written, failed,
 *       ignored);
 *   <li>{@code triad.upload.rows}: rows scored or evaluated from uploads, by model;
 *   <li>{@code triad.gate.decisions}: the promotion gate's decisions, by model and decision
 *       (promoted, rejected);
 *   <li>{@code triad.training.jobs}: retraining jobs, by model and outcome (launched, failed,
 *       skipped);
 *   <li>{@code triad.model.load}: the time to fetch, check and load a version, by model and outcome
 *       (loaded, failed);
 *   <li>{@code triad.drift.checks}: drift checks, by model, version and verdict (drift, none);
 *   <li>{@code triad.shadow.requests}: requests copied to a shadow version and its time, by model,
 *       the shadow's version and outcome (agree, disagree, error, dropped).
 * </ul>
 *
 * A model tag is a configured model's name, or {@code -} for any other: a client cannot make new
 * series by inventing paths or file names.
 */
public final class TriadMetrics {
  public static final String REQUESTS = MetricNames.REQUESTS.name();
  public static final String ERRORS = MetricNames.ERRORS.name();
  public static final String PHASES = MetricNames.PHASES.name();
  public static final String FILES = MetricNames.FILES.name();
  public static final String ROWS = MetricNames.ROWS.name();
  public static final String GATE = MetricNames.GATE.name();
  public static final String TRAINING = MetricNames.TRAINING.name();
  public static final String MODEL_LOADS = MetricNames.MODEL_LOADS.name();
  public static final String DRIFT = MetricNames.DRIFT.name();
  public static final String SHADOW = MetricNames.SHADOW.name();

  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final Set<String> models;

  /** Metrics whose model tags are {@code models}' names. */
  public TriadMetrics(Set<String> models) {
    this.models = Set.copyOf(models);
  }

  /** Where a runtime adds the registry that exports the metrics. */
  public CompositeMeterRegistry registry() {
    return registry;
  }

  /** {@code model} when it is configured, else {@code -}. */
  public String model(String model) {
    return model != null && models.contains(model) ? model : "-";
  }

  /** One request copied to a shadow version: what it came to and the shadow's time. */
  public void shadow(String model, String version, String outcome, long nanos) {
    Timer.builder(SHADOW)
        .description(MetricNames.SHADOW.description())
        .tags("model", model(model), "version", version, "outcome", outcome)
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** One HTTP request: its whole time and the time of each phase it ran. */
  public void request(
      String model,
      String version,
      String route,
      int status,
      long nanos,
      RequestPhases.Gathered phases) {
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
    if (phases == null) {
      return;
    }
    for (RequestPhases.Phase phase : RequestPhases.Phase.values()) {
      long spent = phases.spent(phase);
      if (spent > 0) {
        Timer.builder(PHASES)
            .description("Time in each phase of an HTTP request")
            .tags("model", model, "version", version, "phase", phase.tag())
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry)
            .record(Duration.ofNanos(spent));
      }
    }
  }

  /** What an upload (or a candidate's manifest) came to. */
  public void outcome(Outcome outcome) {
    if (outcome instanceof Outcome.Written written) {
      file(written.key(), "written");
      Counter.builder(ROWS)
          .description("Rows scored or evaluated from uploads")
          .tags("model", model(modelOf(written.key())))
          .register(registry)
          .increment(written.rows());
    } else if (outcome instanceof Outcome.Failed failed) {
      file(failed.key(), "failed");
    } else if (outcome instanceof Outcome.Ignored ignored) {
      file(ignored.key(), "ignored");
    } else if (outcome instanceof Outcome.Promoted promoted) {
      gate(promoted.model(), "promoted");
    } else if (outcome instanceof Outcome.Rejected rejected) {
      gate(rejected.model(), "rejected");
    }
  }

  /** What a retraining tick launched. */
  public void retraining(RetrainingReport report) {
    for (RetrainResult result : report.results()) {
      String outcome =
          result instanceof RetrainResult.Launched
              ? "launched"
              : result instanceof RetrainResult.Failed ? "failed" : "skipped";
      Counter.builder(TRAINING)
          .description("Retraining jobs, by outcome")
          .tags("model", model(result.model()), "outcome", outcome)
          .register(registry)
          .increment();
    }
  }

  /** A version fetched, checked and loaded (or refused, or its store failed) in {@code nanos}. */
  public void modelLoad(String model, boolean loaded, long nanos) {
    Timer.builder(MODEL_LOADS)
        .description("Time to fetch, check and load a model version")
        .tags("model", model(model), "outcome", loaded ? "loaded" : "failed")
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** A drift check's verdict. */
  public void drift(io.triad.functions.monitoring.DriftCheck.DriftReport report) {
    Counter.builder(DRIFT)
        .description("Drift checks of what a version is given against its training data")
        .tags(
            "model",
            model(report.model()),
            "version",
            report.version(),
            "verdict",
            report.drifted() ? "drift" : "none")
        .register(registry)
        .increment();
  }

  private void file(String key, String outcome) {
    Counter.builder(FILES)
        .description("Uploads handled, by outcome")
        .tags("model", model(modelOf(key)), "outcome", outcome)
        .register(registry)
        .increment();
  }

  private void gate(String model, String decision) {
    Counter.builder(GATE)
        .description("Promotion gate decisions")
        .tags("model", model(model), "decision", decision.toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /** The model an upload's key names ({@code incoming/{m}/…}, {@code labelled/{m}/…}). */
  private static String modelOf(String key) {
    if (key == null) {
      return null;
    }
    for (String trigger : BucketLayout.TRIGGERS) {
      if (key.startsWith(trigger)) {
        String rest = key.substring(trigger.length());
        int slash = rest.indexOf('/');
        return slash > 0 ? rest.substring(0, slash) : null;
      }
    }
    return null;
  }
}
