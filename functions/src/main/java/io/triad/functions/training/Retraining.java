package io.triad.functions.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import io.triad.functions.config.ModelSettings;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onSchedule} function, the one retraining call every runtime's schedule entry point
 * wraps: for each model of the tick (every model in the catalog when it names none) it submits a
 * training job for a new candidate version, named by the tick's UTC time so versions sort by age.
 *
 * <p>Each model gets a result: launched; skipped with its reason (no training data, not a model
 * name), which retrying would not change; or failed (the launcher or the store failed), which makes
 * the entry point fail the tick so the platform retries it. A submitted job is recorded in {@code
 * candidates/{m}/{v}/launch.json}, so a retried tick does not submit it again.
 */
public final class Retraining implements Function<ScheduledTick, RetrainingReport> {
  private static final Logger log = LoggerFactory.getLogger(Retraining.class);
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final BlobStore store;
  private final ModelRegistry registry;
  private final TrainingLauncher launcher;
  private final TriadProperties properties;
  private final ObjectMapper json;

  public Retraining(
      BlobStore store,
      ModelRegistry registry,
      TrainingLauncher launcher,
      TriadProperties properties,
      ObjectMapper json) {
    this.store = store;
    this.registry = registry;
    this.launcher = launcher;
    this.properties = properties;
    this.json = json;
  }

  @Override
  public RetrainingReport apply(ScheduledTick tick) {
    List<String> models = tick.models().isEmpty() ? properties.modelNames() : tick.models();
    if (models.isEmpty()) {
      log.warn(
          "a retraining tick with no models: the catalog (triad.catalog, TRIAD_CATALOG) is empty");
    }
    List<RetrainResult> results = new ArrayList<>();
    for (String model : models) {
      RetrainResult result = retrain(model, tick.time());
      if (result instanceof RetrainResult.Launched l) {
        log.info(
            "retraining {}: job {} writes candidate {}", model, l.jobId(), l.candidatePrefix());
      } else if (result instanceof RetrainResult.Skipped s) {
        log.warn("retraining {} skipped: {}", model, s.reason());
      } else if (result instanceof RetrainResult.Failed f) {
        log.error("retraining {} not submitted: {}", model, f.reason());
      }
      results.add(result);
    }
    return new RetrainingReport(tick.time(), results);
  }

  private RetrainResult retrain(String model, Instant time) {
    try {
      ModelKeys.checkName(model);
    } catch (TriadError e) {
      return new RetrainResult.Skipped(model, "not a model name");
    }
    try {
      ModelSettings settings = properties.model(model);
      String data = settings.trainingDataOr(model);
      if (!store.exists(data)) {
        return new RetrainResult.Skipped(model, "no training data at " + data);
      }
      String base = VERSION.format(time);
      Optional<RetrainResult.Launched> earlier = launchedBy(model, base, time);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      String version = freeVersion(model, base);
      TrainingJob job =
          new TrainingJob(
              model,
              version,
              store.uri(),
              data,
              BucketLayout.candidateDir(model, version),
              registry.productionVersion(model).orElse(null),
              settings.trainer());
      String jobId = launcher.launch(job);
      record(job, jobId, time);
      return new RetrainResult.Launched(model, version, jobId, job.candidatePrefix());
    } catch (RuntimeException e) {
      return new RetrainResult.Failed(
          model, e.getMessage() == null ? "the launch failed" : e.getMessage());
    }
  }

  /** The job an earlier delivery of this same tick submitted, if it did. */
  private Optional<RetrainResult.Launched> launchedBy(String model, String version, Instant time) {
    String key = BucketLayout.candidateDir(model, version) + BucketLayout.LAUNCH_FILE;
    try (InputStream in = store.open(key)) {
      JsonNode launch = json.readTree(in);
      if (!time.toString().equals(launch.path("tick").asText())) {
        return Optional.empty();
      }
      return Optional.of(
          new RetrainResult.Launched(
              model,
              version,
              launch.path("jobId").asText(),
              BucketLayout.candidateDir(model, version)));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
  }

  private void record(TrainingJob job, String jobId, Instant time) {
    Map<String, Object> launch = new LinkedHashMap<>();
    launch.put("model", job.model());
    launch.put("version", job.version());
    launch.put("jobId", jobId);
    launch.put("tick", time.toString());
    launch.put("data", job.dataKey());
    store.put(job.candidatePrefix() + BucketLayout.LAUNCH_FILE, TriadJson.pretty(json, launch));
  }

  private String freeVersion(String model, String base) {
    String version = base;
    for (int i = 2;
        !store.list(BucketLayout.candidateDir(model, version)).isEmpty()
            || store.exists(BucketLayout.manifest(model, version));
        i++) {
      version = base + "-" + i;
    }
    return version;
  }
}
