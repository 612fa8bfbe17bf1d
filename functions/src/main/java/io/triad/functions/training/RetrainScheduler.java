package io.triad.functions.training;

import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadError;
import io.triad.functions.config.ModelSettings;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.store.BlobStore;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onSchedule} function: a {@code retrain-{model}} tick submits a training job for a new
 * candidate version, named by the tick's UTC time so versions sort by age.
 */
public final class RetrainScheduler implements Function<ScheduledTick, LaunchedTraining> {
  private static final Logger log = LoggerFactory.getLogger(RetrainScheduler.class);
  private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final BlobStore store;
  private final ModelRegistry registry;
  private final TrainingLauncher launcher;
  private final TriadProperties properties;

  public RetrainScheduler(BlobStore store, ModelRegistry registry, TrainingLauncher launcher, TriadProperties properties) {
    this.store = store;
    this.registry = registry;
    this.launcher = launcher;
    this.properties = properties;
  }

  @Override
  public LaunchedTraining apply(ScheduledTick tick) {
    if (!tick.schedule().startsWith(ScheduledTick.RETRAIN_PREFIX)) {
      throw TriadError.badRequest("unknown schedule '" + tick.schedule() + "'; retraining schedules are named retrain-{model}");
    }
    String model = ModelKeys.checkName(tick.schedule().substring(ScheduledTick.RETRAIN_PREFIX.length()));
    ModelSettings settings = properties.model(model);
    String data = settings.trainingDataOr(model);
    if (!store.exists(data)) {
      throw TriadError.notFound("no training data for " + model + " at " + data);
    }
    String version = freeVersion(model, VERSION.format(tick.time()));
    TrainingJob job = new TrainingJob(model, version, store.uri(), data, ModelKeys.candidateDir(model, version),
        registry.productionVersion(model).orElse(null), settings.trainer());
    String jobId = launcher.launch(job);
    log.info("retraining {}: job {} writes candidate {}", model, jobId, job.candidatePrefix());
    return new LaunchedTraining(model, version, jobId, job.candidatePrefix());
  }

  private String freeVersion(String model, String base) {
    String version = base;
    for (int i = 2; !store.list(ModelKeys.candidateDir(model, version)).isEmpty() || store.exists(ModelKeys.manifest(model, version)); i++) {
      version = base + "-" + i;
    }
    return version;
  }
}
