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
import io.triad.functions.monitoring.ServedDrift;
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
 * the entry point fail the tick so the platform retries it.
 *
 * <p>One job per version, however often a tick is delivered: before it submits, a delivery claims
 * the version by creating {@code candidates/{m}/{v}/launch.json} with a conditional create the
 * store decides ({@link BlobStore#putIfAbsent}: S3 {@code If-None-Match: *}, GCS {@code
 * ifGenerationMatch=0}, Azure {@code If-None-Match: *}, a hard link on a folder). The winner
 * submits and then records the job id in the same file; a delivery that finds the claim submits
 * nothing and reports the job (or, while it is still being submitted, that the version is claimed).
 * A refused submission gives the claim back, so the platform's retry of the failed tick can claim
 * it again.
 */
public final class Retraining implements Function<ScheduledTick, RetrainingReport> {
  private static final Logger log = LoggerFactory.getLogger(Retraining.class);
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final BlobStore store;
  private final ModelRegistry registry;
  private final List<TrainingLauncher> launchers;
  private final TrainingCosts costs;
  private final TriadProperties properties;
  private final ObjectMapper json;
  private final ServedDrift drift;

  public Retraining(
      BlobStore store,
      ModelRegistry registry,
      TrainingLauncher launcher,
      TriadProperties properties,
      ObjectMapper json) {
    this(store, registry, launcher, properties, json, null);
  }

  /**
   * As above; each tick also checks each model's payload log for drift ({@code drift}), and a model
   * that retrains {@code on-drift} is retrained only when the check finds it.
   */
  public Retraining(
      BlobStore store,
      ModelRegistry registry,
      TrainingLauncher launcher,
      TriadProperties properties,
      ObjectMapper json,
      ServedDrift drift) {
    this(store, registry, launcher, properties, json, drift, null);
  }

  /** As above; each launch records what it is expected to cost ({@code costs}) when given. */
  public Retraining(
      BlobStore store,
      ModelRegistry registry,
      TrainingLauncher launcher,
      TriadProperties properties,
      ObjectMapper json,
      ServedDrift drift,
      TrainingCosts costs) {
    this(store, registry, List.of(launcher), properties, json, drift, costs);
  }

  /**
   * As above, with every launcher this runtime has: the first is its own, which a model with no
   * placement uses; a placement's targets are submitted through the launcher of their cloud.
   */
  public Retraining(
      BlobStore store,
      ModelRegistry registry,
      List<TrainingLauncher> launchers,
      TriadProperties properties,
      ObjectMapper json,
      ServedDrift drift,
      TrainingCosts costs) {
    if (launchers.isEmpty()) {
      throw new IllegalArgumentException("retraining needs a launcher");
    }
    this.costs = costs;
    this.drift = drift;
    this.store = store;
    this.registry = registry;
    this.launchers = List.copyOf(launchers);
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
    ModelSettings settings = properties.model(model);
    Optional<RetrainResult> held = heldByDrift(model, settings, time);
    if (held.isPresent()) {
      return held.get();
    }
    try {
      String data = settings.trainingDataOr(model);
      if (!store.exists(data)) {
        return new RetrainResult.Skipped(model, "no training data at " + data);
      }
      if (settings.placement().placed()) {
        Optional<RetrainResult> waiting = waitingLaunch(model, settings, time);
        if (waiting.isPresent()) {
          return waiting.get();
        }
      }
      String base = VERSION.format(time);
      for (int i = 1; ; i++) {
        String version = i == 1 ? base : base + "-" + i;
        Optional<Claim> claim = claim(model, version, data, time);
        if (claim.isEmpty()) {
          continue; // another tick's version, or a folder that holds something else
        }
        if (claim.get().earlier() != null) {
          return claim.get().earlier(); // this tick's, claimed by another delivery
        }
        TrainingJob job =
            new TrainingJob(
                model,
                version,
                store.uri(),
                data,
                BucketLayout.candidateDir(model, version),
                registry.productionVersion(model).orElse(null),
                settings.trainer());
        Placed placed;
        try {
          placed = place(job, settings);
        } catch (RuntimeException e) {
          release(job);
          throw e;
        }
        String jobId = placed.jobId();
        Map<String, Object> estimate = estimate(model, placed.target());
        try {
          store.put(
              launchKey(model, version), launchRecord(job, time, jobId, estimate, placed.record()));
        } catch (RuntimeException e) {
          // the job runs and the claim stays, so no delivery submits it again; only its id is
          // missing from the record
          log.error(
              "retraining {}: job {} submitted, but its id was not recorded in {}: {}",
              model,
              jobId,
              launchKey(model, version),
              e.getMessage());
        }
        return new RetrainResult.Launched(model, version, jobId, job.candidatePrefix());
      }
    } catch (RuntimeException e) {
      return new RetrainResult.Failed(
          model, e.getMessage() == null ? "the launch failed" : e.getMessage());
    }
  }

  /**
   * The tick's drift check of {@code model}'s payload log; for a model retrained {@code on-drift},
   * the result that holds it back when there is no drift (skipped), or when the check could not be
   * made (skipped when there was nothing to check, failed when the store failed, so the tick is
   * retried). Empty when the tick goes on to retrain.
   */
  private Optional<RetrainResult> heldByDrift(String model, ModelSettings settings, Instant time) {
    boolean onDrift = settings.retrain() == ModelSettings.Retrain.ON_DRIFT;
    if (drift == null) {
      return onDrift
          ? Optional.of(
              new RetrainResult.Skipped(model, "retrains on drift, and no check runs here"))
          : Optional.empty();
    }
    ServedDrift.Result checked;
    try {
      checked = drift.check(model, time);
    } catch (RuntimeException e) {
      log.warn("{}: the drift check of its payload log failed: {}", model, e.toString());
      return onDrift
          ? Optional.of(
              new RetrainResult.Failed(
                  model, "retrains on drift, and the drift check failed: " + e.getMessage()))
          : Optional.empty();
    }
    if (!onDrift) {
      return Optional.empty();
    }
    if (checked.report() == null) {
      return Optional.of(
          new RetrainResult.Skipped(
              model, "retrains on drift, and nothing served was checked: " + checked.reason()));
    }
    if (!checked.drifted()) {
      return Optional.of(
          new RetrainResult.Skipped(
              model,
              "retrains on drift, and "
                  + checked.report().rows()
                  + " rows served by version "
                  + checked.report().version()
                  + " show none"));
    }
    log.warn(
        "{}: version {} drifted in what it served; retraining", model, checked.report().version());
    return Optional.empty();
  }

  /**
   * Claims {@code version} for this tick: a claim with no earlier result when this delivery created
   * it; the earlier delivery's result when this tick's claim was there first; empty when the
   * version is another tick's or its folder holds something else, so the next version is tried.
   */
  private Optional<Claim> claim(String model, String version, String data, Instant time) {
    String key = launchKey(model, version);
    if (store.exists(BucketLayout.manifest(model, version))) {
      return Optional.empty(); // a published version of that name
    }
    if (!store.exists(key)) {
      boolean holdsOther =
          store.list(BucketLayout.candidateDir(model, version)).stream()
              .anyMatch(blob -> !blob.key().equals(key));
      if (holdsOther) {
        return Optional.empty(); // a candidate no tick claimed (written by hand)
      }
      if (store.putIfAbsent(key, launchRecord(model, version, data, time, null))) {
        return Optional.of(new Claim(null));
      }
    }
    JsonNode launch;
    try (InputStream in = store.open(key)) {
      launch = json.readTree(in);
    } catch (NoSuchObjectException e) {
      // given back by a delivery whose submission failed just now: that tick is retried
      return Optional.of(
          new Claim(
              new RetrainResult.Skipped(
                  model,
                  "version " + version + " was claimed and given back by another delivery")));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
    if (!time.toString().equals(launch.path("tick").asText())) {
      return Optional.empty();
    }
    String jobId = launch.path("jobId").asText(null);
    if (jobId == null) {
      return Optional.of(
          new Claim(
              new RetrainResult.Skipped(
                  model,
                  "version "
                      + version
                      + " of this tick is claimed by another delivery (at "
                      + launch.path("claimed").asText()
                      + "), which submits its job; nothing submitted here")));
    }
    return Optional.of(
        new Claim(
            new RetrainResult.Launched(
                model, version, jobId, BucketLayout.candidateDir(model, version))));
  }

  /**
   * Submits {@code job}: through this runtime's own launcher when the model names no placement;
   * else to each target in turn until one takes it, each refusal (capacity, quota, a service error,
   * a cloud this runtime cannot launch on) logged and recorded. The job handed to a target carries
   * the refusals before it, so the trainer records where it ran and why.
   *
   * @throws TrainingLaunchException when every target refused, with each reason
   */
  private Placed place(TrainingJob job, ModelSettings settings) {
    if (!settings.placement().placed()) {
      return new Placed(launchers.get(0).launch(job), null, null);
    }
    List<PlacementTarget> targets =
        Placement.targets(settings.placement(), properties.cost().table());
    if (targets.isEmpty()) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.UNAVAILABLE,
          "placement.order is cheapest, and the price table (triad.cost.prices) names no target"
              + (settings.placement().spot() ? "" : " on demand"));
    }
    return placeOn(job, targets, new ArrayList<>());
  }

  /**
   * Submits {@code job} to the first of {@code targets} that takes it, after the refusals in {@code
   * attempts} (each a {@code target, refusal, reason} record), which grow by each new one.
   */
  private Placed placeOn(
      TrainingJob job, List<PlacementTarget> targets, List<Map<String, Object>> attempts) {
    List<String> refused = new ArrayList<>();
    attempts.forEach(a -> refused.add(a.get("target") + ":" + a.get("refusal")));
    TrainingLaunchException last = null;
    for (PlacementTarget target : targets) {
      try {
        String jobId = launcherFor(target).launch(job.placedOn(target, refused));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("target", target.toString());
        record.put("refused", attempts);
        if (!attempts.isEmpty()) {
          log.warn(
              "retraining {}: submitted to {} after {} refused it", job.model(), target, refused);
        }
        return new Placed(jobId, target, record);
      } catch (TrainingLaunchException e) {
        last = e;
        String reason = firstLine(e.getMessage());
        log.warn(
            "retraining {}: {} did not take the job ({}): {}",
            job.model(),
            target,
            e.refusal().word(),
            reason);
        refused.add(target + ":" + e.refusal().word());
        attempts.add(attempt(target, e.refusal(), reason));
      }
    }
    if (last == null) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.UNAVAILABLE, "no placement is left to try");
    }
    throw new TrainingLaunchException(
        last.refusal(),
        "no placement took the job: "
            + attempts.stream()
                .map(a -> a.get("target") + " (" + a.get("refusal") + ": " + a.get("reason") + ")")
                .collect(java.util.stream.Collectors.joining("; ")),
        last);
  }

  private static Map<String, Object> attempt(
      PlacementTarget target, TrainingLaunchException.Refusal refusal, String reason) {
    Map<String, Object> attempt = new LinkedHashMap<>();
    attempt.put("target", target.toString());
    attempt.put("refusal", refusal.word());
    attempt.put("reason", reason);
    return attempt;
  }

  /**
   * For a placed model, the newest launch of an earlier tick whose job the service accepted but has
   * not started: while it waits less than {@code placement.max-wait}, this tick submits nothing (a
   * job there would wait too) and says so; once it has waited longer, it is withdrawn and the same
   * version submitted to the targets after its own, its wait recorded as a refusal for capacity,
   * unless no later target could take it from this runtime (then it keeps waiting). One delivery of
   * a tick moves it (a claim first); a redelivery says where it went. Empty when there is no such
   * launch (none, reported back, running, ended, or a service that cannot say), and the tick trains
   * a new version as usual.
   */
  private Optional<RetrainResult> waitingLaunch(
      String model, ModelSettings settings, Instant time) {
    Optional<String> newest =
        store.list(BucketLayout.CANDIDATES + model + "/").stream()
            .map(io.triad.functions.store.BlobInfo::key)
            .filter(key -> key.endsWith("/" + BucketLayout.LAUNCH_FILE))
            .max(java.util.Comparator.naturalOrder());
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    String key = newest.get();
    // a job that reported back is no longer waiting, so the service's word is all that is asked
    // (the schedule function reads launch records, not candidates)
    String dir = key.substring(0, key.length() - BucketLayout.LAUNCH_FILE.length());
    JsonNode launch;
    try (InputStream in = store.open(key)) {
      launch = json.readTree(in);
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
    String jobId = launch.path("jobId").asText(null);
    String placedOn = launch.path("placement").path("target").asText(null);
    JsonNode lastMove = launch.path("moved").path(launch.path("moved").size() - 1);
    if (time.toString().equals(lastMove.path("withdrawn").asText(null))) {
      // a redelivery of the tick that moved it: that delivery reported the move
      return Optional.of(
          new RetrainResult.Skipped(
              model,
              "version "
                  + launch.path("version").asText()
                  + " was moved from "
                  + lastMove.path("target").asText()
                  + " by another delivery"
                  + (jobId == null ? "; no target took it" : " (to " + placedOn + ")")));
    }
    if (jobId == null || placedOn == null || time.toString().equals(launch.path("tick").asText())) {
      return Optional.empty(); // claimed only, placed by no placement, or this tick's own
    }
    PlacementTarget target;
    TrainingLauncher launcher;
    try {
      target = PlacementTarget.parse(placedOn);
      launcher = launcherFor(target);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    TrainingLauncher.JobState state;
    try {
      state = launcher.state(jobId);
    } catch (RuntimeException e) {
      log.warn("retraining {}: could not ask about job {}: {}", model, jobId, e.getMessage());
      return Optional.empty();
    }
    if (state.phase() != TrainingLauncher.JobState.Phase.WAITING) {
      return Optional.empty();
    }
    String version = launch.path("version").asText();
    // in the ticks' own time: since the tick that launched it, or the one that last moved it
    JsonNode moved = launch.path("moved");
    Instant since =
        Instant.parse(
            moved.isArray() && !moved.isEmpty()
                ? moved.get(moved.size() - 1).path("withdrawn").asText()
                : launch.path("tick").asText());
    java.time.Duration waited = java.time.Duration.between(since, time);
    if (waited.compareTo(settings.placement().maxWait()) < 0) {
      return Optional.of(
          new RetrainResult.Skipped(
              model,
              "version "
                  + version
                  + " has waited "
                  + minutes(waited)
                  + " for machines at "
                  + target
                  + " ("
                  + state.detail()
                  + "); it moves on after "
                  + minutes(settings.placement().maxWait())));
    }
    return Optional.of(move(model, settings, launch, dir, target, launcher, state, waited, time));
  }

  /** Withdraws a job that waited too long and submits its version to the targets after its own. */
  private RetrainResult move(
      String model,
      ModelSettings settings,
      JsonNode launch,
      String dir,
      PlacementTarget target,
      TrainingLauncher launcher,
      TrainingLauncher.JobState state,
      java.time.Duration waited,
      Instant time) {
    String version = launch.path("version").asText();
    String jobId = launch.path("jobId").asText();
    String why = "waited " + minutes(waited) + " for machines (" + state.detail() + ")";
    List<PlacementTarget> targets =
        Placement.targets(settings.placement(), properties.cost().table());
    int at = targets.indexOf(target);
    List<PlacementTarget> rest =
        at < 0
            ? targets.stream().filter(t -> !t.equals(target)).toList()
            : targets.subList(at + 1, targets.size());
    if (rest.stream().noneMatch(this::takes)) {
      // withdrawn, it would run nowhere: where it waits, it may still get machines
      return new RetrainResult.Skipped(
          model,
          "version "
              + version
              + " "
              + why
              + " at "
              + target
              + "; no later target can take it here ("
              + (rest.isEmpty() ? "none is left" : rest.toString())
              + "), so it keeps waiting");
    }
    // one delivery of this tick moves it: a service may accept a repeated withdrawal, and two
    // deliveries that both withdrew would both submit
    String claim = BucketLayout.moveClaim(dir, launch.path("moved").size(), time.getEpochSecond());
    Map<String, Object> claimed = new LinkedHashMap<>();
    claimed.put("jobId", jobId);
    claimed.put("target", target.toString());
    claimed.put("tick", time.toString());
    if (!store.putIfAbsent(claim, TriadJson.pretty(json, claimed))) {
      return new RetrainResult.Skipped(
          model, "version " + version + " is being moved from " + target + " by another delivery");
    }
    try {
      if (!launcher.cancel(jobId, "Triad moves it on: " + why)) {
        log.error(
            "retraining {}: job {} at {} {}, and could not be withdrawn",
            model,
            jobId,
            target,
            why);
        giveBackMove(model, claim);
        return new RetrainResult.Skipped(
            model,
            "version " + version + " " + why + " at " + target + "; it could not be withdrawn");
      }
    } catch (RuntimeException e) {
      // the platform's retry of this tick may try again
      giveBackMove(model, claim);
      return new RetrainResult.Failed(
          model, "withdrawing job " + jobId + " at " + target + " failed: " + e.getMessage());
    }
    log.warn("retraining {}: withdrew job {} at {}: it {}", model, jobId, target, why);
    List<Map<String, Object>> attempts = new ArrayList<>();
    launch
        .path("placement")
        .path("refused")
        .forEach(
            a -> {
              Map<String, Object> earlier = new LinkedHashMap<>();
              earlier.put("target", a.path("target").asText());
              earlier.put("refusal", a.path("refusal").asText());
              earlier.put("reason", a.path("reason").asText());
              attempts.add(earlier);
            });
    attempts.add(attempt(target, TrainingLaunchException.Refusal.CAPACITY, why + "; withdrawn"));
    TrainingJob job =
        new TrainingJob(
            model,
            version,
            store.uri(),
            launch.path("data").asText(settings.trainingDataOr(model)),
            dir,
            registry.productionVersion(model).orElse(null),
            settings.trainer());
    Map<String, Object> record =
        json.convertValue(
            launch,
            new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
    List<Object> moved = new ArrayList<>();
    launch.path("moved").forEach(m -> moved.add(json.convertValue(m, Map.class)));
    Map<String, Object> withdrawn = new LinkedHashMap<>();
    withdrawn.put("target", target.toString());
    withdrawn.put("jobId", jobId);
    withdrawn.put("withdrawn", time.toString());
    withdrawn.put("reason", why);
    moved.add(withdrawn);
    record.put("moved", moved);
    Placed placed;
    try {
      placed = placeOn(job, rest, attempts);
    } catch (TrainingLaunchException e) {
      record.put("jobId", null);
      // no target took it: the record keeps every refusal, and names no job to ask about
      Map<String, Object> placement = new LinkedHashMap<>();
      placement.put("target", null);
      placement.put("refused", attempts);
      record.put("placement", placement);
      store.put(dir + BucketLayout.LAUNCH_FILE, TriadJson.pretty(json, record));
      return new RetrainResult.Failed(model, e.getMessage());
    }
    record.put("jobId", placed.jobId());
    record.put("launched", Instant.now().toString());
    record.put("placement", placed.record());
    Map<String, Object> estimate = estimate(model, placed.target());
    if (estimate != null) {
      record.put("cost", estimate);
    }
    store.put(dir + BucketLayout.LAUNCH_FILE, TriadJson.pretty(json, record));
    return new RetrainResult.Launched(model, version, placed.jobId(), dir);
  }

  private static String minutes(java.time.Duration duration) {
    long seconds = duration.toSeconds();
    return seconds < 120 ? seconds + " s" : duration.toMinutes() + " min";
  }

  /**
   * What the submitted job is expected to cost where it went, or null; the job runs whatever the
   * store says, so a failed estimate is logged, not thrown.
   */
  private Map<String, Object> estimate(String model, PlacementTarget target) {
    if (costs == null) {
      return null;
    }
    try {
      return costs.estimate(model, target);
    } catch (RuntimeException e) {
      log.warn("retraining {}: no cost estimate ({})", model, e.getMessage());
      return null;
    }
  }

  /** Whether this runtime has a launcher that would submit to {@code target}. */
  private boolean takes(PlacementTarget target) {
    return launchers.stream().anyMatch(l -> l.cloud().equals(target.cloud()) && l.takes(target));
  }

  private TrainingLauncher launcherFor(PlacementTarget target) {
    return launchers.stream()
        .filter(l -> l.cloud().equals(target.cloud()))
        .findFirst()
        .orElseThrow(
            () ->
                new TrainingLaunchException(
                    TrainingLaunchException.Refusal.UNAVAILABLE,
                    "this runtime launches on "
                        + launchers.stream().map(TrainingLauncher::cloud).distinct().toList()
                        + ", not on "
                        + target.cloud()));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    String line = message.strip().lines().findFirst().orElse("");
    return line.length() <= 300 ? line : line.substring(0, 300) + "…";
  }

  /**
   * Where a job went: its id, its target (null when the model names no placement) and what {@code
   * launch.json} records of the placement (null likewise).
   */
  private record Placed(String jobId, PlacementTarget target, Map<String, Object> record) {}

  /** Gives a move's claim back when the job could not be withdrawn, so a retry may move it. */
  private void giveBackMove(String model, String claim) {
    try {
      store.delete(claim);
    } catch (RuntimeException e) {
      log.error(
          "retraining {}: could not give back the move claim {} ({}): this tick's retries will"
              + " not move it; the next tick will",
          model,
          claim,
          e.getMessage());
    }
  }

  /** Gives a claim back after its submission failed; the failure is what the tick reports. */
  private void release(TrainingJob job) {
    try {
      store.delete(launchKey(job.model(), job.version()));
    } catch (RuntimeException e) {
      log.error(
          "could not give back the claim on {} {} ({}): this tick's retries will not submit it;"
              + " the next tick will",
          job.model(),
          job.version(),
          e.getMessage());
    }
  }

  private static String launchKey(String model, String version) {
    return BucketLayout.candidateDir(model, version) + BucketLayout.LAUNCH_FILE;
  }

  private byte[] launchRecord(
      TrainingJob job,
      Instant time,
      String jobId,
      Map<String, Object> estimate,
      Map<String, Object> placement) {
    Map<String, Object> launch =
        launchFields(job.model(), job.version(), job.dataKey(), time, jobId);
    if (placement != null) {
      // where the job went, and which targets refused it first and why
      launch.put("placement", placement);
    }
    if (estimate != null) {
      // what the job is expected to cost, before it has run
      launch.put("cost", estimate);
    }
    return TriadJson.pretty(json, launch);
  }

  /** The claim ({@code jobId} null) or, once submitted, the launch. */
  private byte[] launchRecord(
      String model, String version, String data, Instant time, String jobId) {
    return TriadJson.pretty(json, launchFields(model, version, data, time, jobId));
  }

  private static Map<String, Object> launchFields(
      String model, String version, String data, Instant time, String jobId) {
    Map<String, Object> launch = new LinkedHashMap<>();
    launch.put("model", model);
    launch.put("version", version);
    launch.put("tick", time.toString());
    launch.put("data", data);
    if (jobId == null) {
      launch.put("claimed", Instant.now().toString());
    } else {
      launch.put("jobId", jobId);
      launch.put("launched", Instant.now().toString());
    }
    return launch;
  }

  /**
   * A claim's outcome: {@code earlier} is null when this delivery holds the claim (it submits),
   * else what the delivery that holds it did.
   */
  private record Claim(RetrainResult earlier) {}
}
