package io.triad.functions.internal.pipeline;

import io.triad.functions.api.Failure;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.RequestId;
import io.triad.functions.api.TriadError;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.internal.evaluation.EvaluationReport;
import io.triad.functions.internal.evaluation.Evaluator;
import io.triad.functions.internal.training.PromotionGate;
import io.triad.functions.model.DataProfile;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.monitoring.DriftMonitor;
import io.triad.functions.monitoring.ServedSample;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.store.ObjectKeys;
import io.triad.functions.tabular.RecordSource;
import io.triad.functions.telemetry.Telemetry;
import io.triad.functions.telemetry.TraceContext;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onObjectCreated} function: routes an upload by its prefix.
 *
 * <ul>
 *   <li>{@code incoming/{m}/{name}} is scored into {@code predictions/{m}/{name}.jsonl} (a picture
 *       into {@code {name}.json});
 *   <li>{@code labelled/{m}/...} is evaluated into {@code evaluations/{m}/{v}/...}; pictures in
 *       {@code labelled/{m}/{label}/} wait for {@code labelled/{m}/{name}.evaluate};
 *   <li>{@code candidates/{m}/{v}/manifest.json} goes to the promotion gate;
 *   <li>anything else (our own outputs among them) is ignored.
 * </ul>
 *
 * A bad upload is set aside under {@code failed/} with its reason; an upload for a model with
 * nothing servable yet, and a storage fault, are thrown so the runtime retries the event ({@link
 * Failure}).
 */
public final class ObjectRouter implements Function<ObjectCreated, Outcome> {
  private static final Logger log = LoggerFactory.getLogger(ObjectRouter.class);

  private final BatchScorer scorer;
  private final Evaluator evaluator;
  private final ReportWriter reports;
  private final PromotionGate gate;
  private final ModelRegistry registry;
  private final FailureRecorder failures;
  private final DriftMonitor drift;
  private final BlobStore store;
  private final Telemetry telemetry;

  public ObjectRouter(
      BatchScorer scorer,
      Evaluator evaluator,
      ReportWriter reports,
      PromotionGate gate,
      ModelRegistry registry,
      FailureRecorder failures) {
    this(scorer, evaluator, reports, gate, registry, failures, null, null, Telemetry.OFF);
  }

  /**
   * As above; every labelled evaluation of a table also checks drift ({@code drift}), and each
   * upload's trace context is read from its {@code traceparent} metadata in {@code store} and
   * continued in its span ({@code telemetry}) and in the metadata of what is written for it.
   */
  public ObjectRouter(
      BatchScorer scorer,
      Evaluator evaluator,
      ReportWriter reports,
      PromotionGate gate,
      ModelRegistry registry,
      FailureRecorder failures,
      DriftMonitor drift,
      BlobStore store,
      Telemetry telemetry) {
    this.drift = drift;
    this.store = store;
    this.telemetry = telemetry;
    this.scorer = scorer;
    this.evaluator = evaluator;
    this.reports = reports;
    this.gate = gate;
    this.registry = registry;
    this.failures = failures;
  }

  /**
   * Handles {@code event}; every log line about it carries the upload's id ({@link RequestId}) and
   * its trace and span ids, and every object written for it its trace context ({@link
   * TraceContext#metadata()}).
   */
  @Override
  public Outcome apply(ObjectCreated event) {
    String id = RequestId.ofUpload(event);
    org.slf4j.MDC.put(RequestId.MDC_KEY, id);
    Telemetry.Work work =
        telemetry.begin(
            "upload " + spanName(event.key()),
            uploaderTrace(event.key()),
            Map.of("triad.upload_id", id, "triad.key", ObjectKeys.printable(event.key())));
    Outcome outcome = null;
    TraceContext.Scope scope = TraceContext.bind(work.context());
    try {
      outcome = handle(event);
      return outcome;
    } finally {
      scope.close();
      work.end(
          Map.of("triad.outcome", outcome == null ? "retried" : outcomeName(outcome)),
          outcome == null || outcome instanceof Outcome.Failed);
      org.slf4j.MDC.remove(RequestId.MDC_KEY);
      org.slf4j.MDC.remove(ModelRegistry.MODEL_VERSION_KEY);
      org.slf4j.MDC.remove(io.triad.functions.inference.Predictor.MODEL_FAULT_KEY);
    }
  }

  /** The key's first folder (incoming, labelled, ...) and model, never a client's file name. */
  private static String spanName(String key) {
    String[] parts = key.split("/", 3);
    return parts.length >= 2 && BucketLayout.TRIGGERS.stream().anyMatch(key::startsWith)
        ? parts[0] + "/" + ObjectKeys.printable(parts[1])
        : "other";
  }

  private static String outcomeName(Outcome outcome) {
    return outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The trace context the uploader left in the object's {@code traceparent} metadata, if any; a
   * store that cannot say leaves the upload to a new trace rather than failing it.
   */
  private TraceContext uploaderTrace(String key) {
    if (store == null || !BucketLayout.TRIGGERS.stream().anyMatch(key::startsWith)) {
      return null;
    }
    try {
      ObjectKeys.check(key);
      return store
          .head(key)
          .map(info -> info.metadata().get(TraceContext.TRACEPARENT))
          .flatMap(TraceContext::parse)
          .orElse(null);
    } catch (RuntimeException e) {
      log.debug("no trace context read from {}: {}", ObjectKeys.printable(key), e.toString());
      return null;
    }
  }

  private Outcome handle(ObjectCreated event) {
    String key = event.key();
    try {
      ObjectKeys.check(key);
    } catch (TriadError e) {
      if (BucketLayout.TRIGGERS.stream().anyMatch(key::startsWith) && !ObjectKeys.isForged(key)) {
        // an upload nothing can be written for under its own name: its reason goes under a safe one
        return failures.unsafeName(key, "the name cannot be an object key: " + e.getMessage());
      }
      log.warn("ignored an event with an unsafe key: {}", e.getMessage());
      return new Outcome.Ignored(key, e.getMessage());
    }
    Outcome outcome = route(event, key.split("/"));
    if (outcome instanceof Outcome.Ignored) {
      log.debug("{}", outcome);
    } else {
      log.info("{}", outcome);
    }
    return outcome;
  }

  private Outcome route(ObjectCreated event, String[] parts) {
    String key = event.key();
    if (parts.length < 3) {
      return new Outcome.Ignored(key, "not a trigger prefix");
    }
    return switch (parts[0]) {
      case "incoming" -> guarded(event, () -> score(key, parts));
      case "labelled" -> guarded(event, () -> evaluate(key, parts));
      case "candidates" ->
          parts.length == 4 && parts[3].equals(BucketLayout.MANIFEST_FILE)
              ? candidate(key, parts[1], parts[2])
              : new Outcome.Ignored(key, "only a candidate's manifest.json triggers the gate");
      default -> new Outcome.Ignored(key, "not a trigger prefix");
    };
  }

  private Outcome candidate(String key, String model, String version) {
    try {
      ModelKeys.checkName(model);
      ModelKeys.checkVersion(version);
    } catch (TriadError e) {
      // thrown, it would make the runtime retry an event that can never succeed
      return new Outcome.Ignored(key, "not a candidate: " + e.getMessage());
    }
    return gate.consider(key, model, version);
  }

  private Outcome score(String key, String[] parts) throws IOException {
    String model = ModelKeys.checkName(parts[1]);
    String rest = key.substring(BucketLayout.incoming(model).length());
    if (ImageEncoder.isImageKey(key)) {
      return scorer.scoreImage(key, model, BucketLayout.predictions(model, rest, true));
    }
    if (!RecordSource.supports(key)) {
      throw TriadError.unprocessable(
          "unsupported file type; upload .csv, .jsonl, .json, .png or .jpg");
    }
    return scorer.score(key, model, BucketLayout.predictions(model, rest, false));
  }

  private Outcome evaluate(String key, String[] parts) {
    String model = ModelKeys.checkName(parts[1]);
    String prefix = BucketLayout.labelled(model);
    String rest = key.substring(prefix.length());
    if (ImageEncoder.isImageKey(key)) {
      return new Outcome.Ignored(
          key,
          "pictures under "
              + prefix
              + "{label}/ are evaluated together once "
              + prefix
              + "{name}"
              + BucketLayout.FOLDER_TRIGGER
              + " is uploaded");
    }
    boolean folder = parts.length == 3 && key.endsWith(BucketLayout.FOLDER_TRIGGER);
    if (!folder && !RecordSource.supports(key)) {
      throw TriadError.unprocessable(
          "unsupported file type; upload labelled .csv, .jsonl or .json, or pictures in "
              + prefix
              + "{label}/ and then "
              + prefix
              + "{name}"
              + BucketLayout.FOLDER_TRIGGER);
    }
    EvaluationReport report;
    ServedSample served = null;
    DataProfile profile = null;
    try (ModelLease lease = registry.acquire(model, null)) {
      if (folder) {
        ModelManifest manifest = lease.manifest();
        profile = manifest.profile();
        if (drift != null && profile != null && manifest.preprocessing() != null) {
          served = ServedSample.pictures(manifest.preprocessing().target());
        }
        report = evaluator.evaluateFolder(lease, prefix, served);
      } else {
        ModelManifest manifest = lease.manifest();
        profile = manifest.profile();
        if (drift != null && profile != null && manifest.preprocessing() != null) {
          served = new ServedSample(manifest, manifest.preprocessing().target());
        }
        report = evaluator.evaluate(lease, key, null, served);
      }
    }
    List<String> written =
        new ArrayList<>(reports.write(report, folder ? BucketLayout.withoutExtension(rest) : rest));
    if (served != null && served.rows() > 0) {
      // every labelled evaluation is also a look at what the version is given now
      written.addAll(drift.check(model, report.version(), profile, key, served));
    }
    return new Outcome.Written(key, List.copyOf(written), report.rows());
  }

  private interface Step {
    Outcome run() throws IOException;
  }

  /**
   * The one place an upload's failure is acted on; {@link Failure#of} says which kind it is. A
   * fault on the final attempt the runtime will make sets the upload aside with the reason.
   */
  private Outcome guarded(ObjectCreated event, Step step) {
    String key = event.key();
    try {
      Optional<Outcome> refused = failures.refused(key);
      if (refused.isPresent()) {
        return refused.get();
      }
      Outcome outcome = step.run();
      if (outcome instanceof Outcome.Written) {
        failures.clear(key);
      }
      return outcome;
    } catch (NoSuchObjectException e) {
      return new Outcome.Ignored(key, FailureRecorder.GONE);
    } catch (IOException | RuntimeException e) {
      Failure failure = Failure.of(e);
      if (failure instanceof Failure.CallerFault fault) {
        return failures.record(key, fault.message());
      }
      if (failure instanceof Failure.Transient && event.finalAttempt()) {
        log.error("{} failed on its final attempt", key, e);
        return failures.record(
            key, "given up after repeated faults; upload it again: " + failure.message());
      }
      // not ready or transient: the runtime retries the event (the platform, or the local backoff)
      throw failure.thrown();
    }
  }
}
