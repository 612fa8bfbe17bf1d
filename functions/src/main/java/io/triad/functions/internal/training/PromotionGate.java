package io.triad.functions.internal.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.Failure;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import io.triad.functions.config.GateSettings;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.internal.evaluation.EvaluationReport;
import io.triad.functions.internal.evaluation.Evaluator;
import io.triad.functions.internal.evaluation.RegressionResult;
import io.triad.functions.internal.evaluation.RowOutcomes;
import io.triad.functions.internal.pipeline.ReportWriter;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.signing.ModelPackages;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.signing.PromotionKeys;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides on a candidate: checks its package, evaluates it and the served version on the same
 * labelled data, and promotes it only if it passes the gate. Promotion copies the package into
 * {@code models/}, model file, manifest, then the signature made with this function's key ({@link
 * PromotionKeys}), then moves the alias; nothing touches the served version before the verdict. A
 * rejection writes {@code rejected.json} beside the candidate. Without a usable signing key a
 * candidate is not judged: it waits, and the reason says which setting is missing.
 */
public final class PromotionGate {
  private static final Logger log = LoggerFactory.getLogger(PromotionGate.class);
  static final int BOOTSTRAP_RESAMPLES = 1000;
  static final long BOOTSTRAP_SEED = 20261204L;

  private final BlobStore store;
  private final ModelRegistry registry;
  private final Evaluator evaluator;
  private final ReportWriter reports;
  private final TriadProperties properties;
  private final ObjectMapper json;
  private final PromotionKeys keys;
  private final io.triad.functions.replication.Replicator replicator;
  private final io.triad.functions.training.TrainingCosts costs;

  public PromotionGate(
      BlobStore store,
      ModelRegistry registry,
      Evaluator evaluator,
      ReportWriter reports,
      TriadProperties properties,
      ObjectMapper json,
      PromotionKeys keys,
      io.triad.functions.replication.Replicator replicator,
      io.triad.functions.training.TrainingCosts costs) {
    this.costs = costs;
    this.replicator = replicator;
    this.store = store;
    this.registry = registry;
    this.evaluator = evaluator;
    this.reports = reports;
    this.properties = properties;
    this.json = json;
    this.keys = keys;
  }

  public Outcome consider(String manifestKey, String model, String version) {
    String dir = BucketLayout.candidateDir(model, version);
    if (store.exists(dir + BucketLayout.REJECTED_FILE)) {
      return new Outcome.Ignored(
          manifestKey, "candidate " + model + "/" + version + " was already rejected");
    }
    if (version.equals(registry.productionVersion(model).orElse(null))) {
      return new Outcome.Ignored(
          manifestKey, "candidate " + model + "/" + version + " is already served");
    }
    if (costs != null) {
      // the job that made it has ended: what it cost, whatever the gate decides
      try {
        costs.record(model, version);
      } catch (RuntimeException e) {
        log.warn("{} version {}: training cost not recorded: {}", model, version, e.getMessage());
      }
    }
    PackageSigner signer = keys.signer();
    GateSettings gate = properties.model(model).gate();
    String data = gate.dataset() != null ? gate.dataset() : dir + BucketLayout.HOLDOUT_FILE;
    Optional<String> servedVersion = registry.productionVersion(model);
    EvaluationReport candidateReport;
    ModelManifest manifest;
    GateRows rows = null;
    RowOutcomes candidateRows = new RowOutcomes();
    try (ModelLease candidate = registry.openCandidate(model, version)) {
      manifest = candidate.manifest();
      if (servedVersion.isPresent()) {
        // judged only on rows neither version trained on
        rows =
            GateRows.choose(
                store, json, manifest, data, dir, trainingRows(model, servedVersion.get()));
      }
      String judgedOn = rows != null && rows.comparable() ? rows.dataKey() : data;
      candidateReport = evaluator.evaluate(candidate, judgedOn, candidateRows);
    } catch (TriadError e) {
      if (Failure.of(e) instanceof Failure.Transient) {
        throw e;
      }
      return reject(
          manifestKey,
          model,
          version,
          "the candidate cannot be evaluated: " + e.getMessage(),
          Map.of());
    }
    RowOutcomes servedRows = new RowOutcomes();
    EvaluationReport servedReport =
        rows == null || !rows.comparable()
            ? null
            : servedReport(model, candidateReport.dataKey(), servedRows).orElse(null);
    Map<String, Double> current = servedReport == null ? null : servedReport.headline();
    PairedComparison paired =
        current == null || candidateReport.metrics() instanceof RegressionResult
            ? null
            : PairedComparison.of(
                candidateRows.correct(), servedRows.correct(), (int) candidateReport.rows());
    PairedBootstrap bootstrap =
        current == null || !PairedBootstrap.METRICS.contains(gate.metric())
            ? null
            : bootstrap(gate, candidateRows, servedRows);
    GateDecision decision =
        GateDecision.decide(gate, candidateReport.headline(), current, paired, bootstrap);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("candidate", candidateReport.headline());
    details.put("served", current);
    details.put("data", data);
    if (rows != null) {
      Map<String, Object> judged = new LinkedHashMap<>();
      judged.put("evaluated", candidateReport.dataKey());
      judged.put("rows", candidateReport.rows());
      if (rows.rows() >= 0) {
        judged.put("dataRows", rows.rows());
      }
      if (rows.seenByServed() >= 0) {
        judged.put("seenByServed", rows.seenByServed());
      }
      judged.put("note", rows.note());
      details.put("rows", judged);
    }
    if (paired != null) {
      details.put("paired", paired.describe(gate.confidence()));
    }
    if (bootstrap != null) {
      details.put("bootstrap", bootstrap.describe());
    }
    EvaluationReport gateReport =
        withDecision(candidateReport, decision, current, rows == null ? null : rows.note());
    if (servedReport != null) {
      gateReport =
          gateReport.withComparison(
              EvaluationReport.Comparison.of(
                  servedReport.version(), candidateReport.metrics(), servedReport.metrics()));
    }
    if (!decision.promote()) {
      // a rejected candidate gets its gate report too: the reason is in it, beside the figures
      reports.write(gateReport, "gate");
      return reject(manifestKey, model, version, decision.reason(), details);
    }
    promote(signer, manifest.withMetrics(candidateReport.headline()), dir, gateReport);
    registry.refresh(model);
    log.info("promoted {} version {}: {}", model, version, decision.reason());
    return new Outcome.Promoted(manifestKey, model, version, decision.reason());
  }

  /** The candidate's report with the gate's verdict and the served version's figures as notes. */
  private static EvaluationReport withDecision(
      EvaluationReport report, GateDecision decision, Map<String, Double> served, String rows) {
    List<String> notes = new ArrayList<>(report.notes());
    notes.add(0, (decision.promote() ? "promoted: " : "rejected: ") + decision.reason());
    if (served != null) {
      notes.add(1, "served version on the same rows: " + served);
    }
    if (rows != null) {
      notes.add(served != null ? 2 : 1, "evaluation rows: " + rows);
    }
    return report.withNotes(notes);
  }

  /**
   * The rows a promoted version trained on, or null when it kept no record (or it is unreadable).
   */
  private TrainingRows trainingRows(String model, String version) {
    return TrainingRows.read(
            store, BucketLayout.modelDir(model, version) + BucketLayout.TRAINING_ROWS_FILE)
        .orElse(null);
  }

  /**
   * The paired bootstrap of the gate's metric, seeded so the same candidate and data always get the
   * same decision; null when the metric is undefined on these rows.
   */
  private static PairedBootstrap bootstrap(
      GateSettings gate, RowOutcomes candidate, RowOutcomes served) {
    try {
      return PairedBootstrap.of(
          gate.metric(),
          gate.higherIsBetter(),
          candidate,
          served,
          gate.confidence(),
          BOOTSTRAP_RESAMPLES,
          BOOTSTRAP_SEED);
    } catch (IllegalArgumentException e) {
      log.warn("no paired bootstrap of {}: {}", gate.metric(), e.getMessage());
      return null;
    }
  }

  private Optional<EvaluationReport> servedReport(String model, String data, RowOutcomes right) {
    if (registry.productionVersion(model).isEmpty()) {
      return Optional.empty();
    }
    try (ModelLease served = registry.acquire(model, null)) {
      return Optional.of(evaluator.evaluate(served, data, right));
    } catch (TriadError e) {
      if (Failure.of(e) instanceof Failure.Transient) {
        throw e; // judging the candidate alone because the store blinked would be unfair to the
        // served one
      }
      log.warn(
          "served version of {} cannot be evaluated ({}); judging the candidate on its own",
          model,
          e.getMessage());
      return Optional.empty();
    }
  }

  private void promote(
      PackageSigner signer, ModelManifest manifest, String dir, EvaluationReport report) {
    String name = manifest.name();
    String version = manifest.version();
    byte[] manifestBytes = TriadJson.pretty(json, manifest);
    // the candidate's file matched manifest.sha256() when it was evaluated; a file swapped since
    // then does not match the signature made here, and is never served
    ModelPackages.write(
        store,
        signer,
        json,
        name,
        version,
        manifest.sha256(),
        manifestBytes,
        to -> store.copy(dir + BucketLayout.MODEL_FILE, to));
    if (store.exists(dir + BucketLayout.TRAINING_ROWS_FILE)) {
      store.copy(
          dir + BucketLayout.TRAINING_ROWS_FILE,
          BucketLayout.modelDir(name, version) + BucketLayout.TRAINING_ROWS_FILE);
    }
    reports.write(report, "gate");
    ModelPackages.promote(store, name, version);
    if (replicator != null && replicator.replicated(name)) {
      // to the model's other stores, each verified before its alias moves; a store that cannot
      // be reached now is caught up by a later schedule tick, and never fails the promotion
      try {
        replicator.replicate(name, version);
      } catch (RuntimeException e) {
        log.warn("{} version {}: replication not recorded: {}", name, version, e.getMessage());
      }
    }
  }

  private Outcome.Rejected reject(
      String key, String model, String version, String reason, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("version", version);
    body.put("reason", reason);
    body.putAll(details);
    store.put(
        BucketLayout.candidateDir(model, version) + BucketLayout.REJECTED_FILE,
        TriadJson.pretty(json, body));
    log.warn("rejected {} version {}: {}", model, version, reason);
    return new Outcome.Rejected(key, model, version, reason);
  }
}
