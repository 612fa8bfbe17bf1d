package io.triad.functions.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadError;
import io.triad.functions.config.RolloutSettings;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.VersionShare;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides rollouts from live figures, on every serving instance, with the state in the bucket so
 * every runtime behaves the same. Each check, per model: the aliases are read; the canary's version
 * (and the production version while a promotion is fresh) is watched; this instance writes its
 * figures for the watched versions to {@code rollouts/{m}/live/{v}/{instance}.json}; every
 * instance's figures since the alias was written are summed and judged ({@link RolloutDecider}). A
 * decision is claimed once per alias state with a conditional create ({@code
 * rollouts/{m}/claims/}), written to {@code rollouts/{m}/{time}.json}, logged, and carried out: the
 * canary alias removed (rolled back), the production alias moved to it (promoted), or a fresh
 * promotion's alias moved back to its parent. Whoever finds a claim whose aliases were not yet
 * changed carries it out again, so a crash between the claim and the change loses nothing.
 *
 * <p>Checks run every {@code triad.rollout-check} on a thread of its own once the instance has
 * answered a request, and on AWS also at the end of an invocation ({@link #checkIfDue}), as Lambda
 * freezes threads between invocations.
 */
public final class Rollouts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Rollouts.class);

  /** The most instance files read per version; the newest are kept. */
  static final int MAX_FILES = 500;

  /** The largest instance file or claim read. */
  static final int MAX_FILE_BYTES = 1 << 20;

  /** What a production alias moved back by a rollback carries, so it is not watched in turn. */
  public static final String ROLLOUT_METADATA = "rollout";

  private final BlobStore store;
  private final ObjectMapper json;
  private final ModelRegistry registry;
  private final LiveFigures figures;
  private final List<String> models;
  private final Function<String, RolloutSettings> settings;
  private final Clock clock;
  private final Duration every;
  private final String instance;
  private final Map<String, Long> published = new ConcurrentHashMap<>();
  // promotions found failing with no parent to go back to: said once each
  private final Set<String> unrollable = ConcurrentHashMap.newKeySet();
  private volatile long lastCheck = Long.MIN_VALUE;
  private ScheduledExecutorService timer;

  public Rollouts(
      BlobStore store,
      ObjectMapper json,
      ModelRegistry registry,
      LiveFigures figures,
      List<String> models,
      Function<String, RolloutSettings> settings,
      Clock clock,
      Duration every) {
    this.store = store;
    this.json = json;
    this.registry = registry;
    this.figures = figures;
    this.models = List.copyOf(models);
    this.settings = settings;
    this.clock = clock;
    this.every = every;
    this.instance = java.util.HexFormat.of().formatHex(randomBytes());
    figures.onFirstAnswer(this::start);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** What this instance counts, for the HTTP API and the shadows to add to. */
  public LiveFigures figures() {
    return figures;
  }

  /** This instance's name in {@code rollouts/{m}/live/{v}/}. */
  public String instance() {
    return instance;
  }

  private synchronized void start() {
    if (timer != null || every.isZero() || every.isNegative()) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            work -> {
              Thread thread = new Thread(work, "triad-rollouts");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(1, every.toMillis());
    timer.scheduleWithFixedDelay(this::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Checks when {@code triad.rollout-check} has passed since the last check. */
  public void checkIfDue() {
    long last = lastCheck;
    if (last == Long.MIN_VALUE || clock.millis() - last >= every.toMillis()) {
      checkQuietly();
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      log.error("rollout check failed: {}", e.toString());
    }
  }

  /** One check of every model; what was decided, if anything. */
  public synchronized List<RolloutDecision> check() {
    lastCheck = clock.millis();
    List<RolloutDecision> decided = new ArrayList<>();
    for (String model : models) {
      try {
        check(model).ifPresent(decided::add);
      } catch (TriadError e) {
        log.warn("model {}: rollout not checked: {}", model, e.getMessage());
      } catch (RuntimeException e) {
        // the store failed: the next check tries again, and nothing was changed half-way
        log.warn("model {}: rollout not checked, the store failed: {}", model, e.toString());
      }
    }
    return decided;
  }

  private Optional<RolloutDecision> check(String model) {
    RolloutSettings bounds = settings.apply(model);
    Optional<BlobInfo> productionAlias =
        store.head(BucketLayout.alias(model, BucketLayout.PRODUCTION));
    Instant now = clock.instant();
    if (productionAlias.isEmpty() || !bounds.enabled()) {
      figures.prune(model, Set.of(), now.toEpochMilli());
      return Optional.empty();
    }
    String production = ModelKeys.checkVersion(readText(productionAlias.get().key()).trim());
    List<Watch> watches = new ArrayList<>();
    Optional<BlobInfo> canaryAlias = store.head(BucketLayout.alias(model, BucketLayout.CANARY));
    if (canaryAlias.isPresent()) {
      VersionShare canary = canary(model, canaryAlias.get().key());
      if (canary != null && canary.weight() > 0 && !canary.version().equals(production)) {
        watches.add(
            new Watch(RolloutDecision.CANARY, canary.version(), canaryAlias.get().lastModified()));
      }
    }
    Instant promoted = productionAlias.get().lastModified();
    boolean restored = "rollback".equals(productionAlias.get().metadata().get(ROLLOUT_METADATA));
    if (!restored && Duration.between(promoted, now).compareTo(bounds.watch()) < 0) {
      watches.add(new Watch(RolloutDecision.PROMOTION, production, promoted));
    }
    Set<String> watched = new HashSet<>();
    long oldest = now.toEpochMilli();
    for (Watch watch : watches) {
      watched.add(watch.version());
      oldest = Math.min(oldest, watch.since().toEpochMilli());
      publish(model, watch);
    }
    figures.prune(model, watched, oldest);
    for (Watch watch : watches) {
      Optional<RolloutDecision> decision = judge(model, bounds, production, watch, now);
      if (decision.isPresent()) {
        return decision;
      }
    }
    return Optional.empty();
  }

  private VersionShare canary(String model, String key) {
    try {
      return VersionShare.parse(readBytes(key, 4096), BucketLayout.CANARY);
    } catch (TriadError e) {
      // the registry logs a broken alias; there is nothing to decide about it
      return null;
    }
  }

  /** A version watched since its alias was written. */
  private record Watch(String kind, String version, Instant since) {}

  private void publish(String model, Watch watch) {
    LiveFigures.Snapshot snapshot =
        figures.snapshot(model, watch.version(), watch.since().toEpochMilli());
    String key = BucketLayout.rolloutLive(model, watch.version(), instance);
    if (snapshot.windows().isEmpty()
        || Long.valueOf(snapshot.changes()).equals(published.get(key))) {
      return;
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("model", model);
    file.put("version", watch.version());
    file.put("instance", instance);
    file.put("updated", clock.instant().toString());
    file.put("windows", snapshot.windows());
    try {
      store.put(key, json.writeValueAsBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    published.put(key, snapshot.changes());
  }

  /** Every instance's figures for {@code version} from {@code since} on. */
  Figures sum(String model, String version, Instant since) {
    long from = since.toEpochMilli() - LiveFigures.WINDOW_MILLIS;
    List<BlobInfo> files = new ArrayList<>(store.list(BucketLayout.rolloutLive(model, version)));
    files.removeIf(f -> f.lastModified().toEpochMilli() < from || f.size() > MAX_FILE_BYTES);
    files.sort(java.util.Comparator.comparing(BlobInfo::lastModified).reversed());
    Figures total = Figures.NONE;
    for (BlobInfo file : files.subList(0, Math.min(MAX_FILES, files.size()))) {
      JsonNode windows;
      try {
        windows = json.readTree(readBytes(file.key(), MAX_FILE_BYTES)).path("windows");
      } catch (IOException | TriadError e) {
        log.warn(
            "model {}: live figures {} unreadable, left out: {}",
            model,
            file.key(),
            e.getMessage());
        continue;
      } catch (UncheckedIOException e) {
        if (e.getCause() instanceof NoSuchObjectException) {
          continue;
        }
        throw e;
      }
      Figures instanceTotal = Figures.NONE;
      for (JsonNode window : windows) {
        if (window.path("start").asLong() <= from) {
          continue;
        }
        try {
          instanceTotal =
              instanceTotal.plus(
                  json.treeToValue(window, LiveFigures.WindowFigures.class).figures());
        } catch (IOException e) {
          log.warn("model {}: a window of {} unreadable, left out", model, file.key());
        }
      }
      if (instanceTotal.requests() > 0 || instanceTotal.compared() > 0) {
        total = total.plus(instanceTotal).plus(new Figures(0, 0, Map.of(), 0, 0, 0, 1));
      }
    }
    return total;
  }

  private Optional<RolloutDecision> judge(
      String model, RolloutSettings bounds, String production, Watch watch, Instant now) {
    String claim =
        BucketLayout.rolloutClaim(
            model, watch.kind(), watch.version(), watch.since().toEpochMilli());
    Optional<RolloutDecision> claimed = readClaim(model, claim);
    if (claimed.isPresent()) {
      // decided before (here or elsewhere) and maybe not carried out: carry it out
      carryOut(claimed.get(), false);
      return Optional.empty();
    }
    Figures live = sum(model, watch.version(), watch.since());
    RolloutDecider.Verdict verdict;
    String target;
    if (watch.kind().equals(RolloutDecision.CANARY)) {
      String refused = registry.canaryRefusal(model, watch.version());
      verdict =
          refused != null
              ? new RolloutDecider.Verdict(
                  RolloutDecider.Action.ROLL_BACK, "it cannot be served: " + refused)
              : RolloutDecider.canary(bounds, live, Duration.between(watch.since(), now));
      target = verdict.action() == RolloutDecider.Action.PROMOTE ? watch.version() : production;
    } else {
      verdict = RolloutDecider.promotion(bounds, live, drift(model, watch));
      target = parent(model, watch.version());
      if (verdict.action() == RolloutDecider.Action.ROLL_BACK && target == null) {
        if (!unrollable.add(claim)) {
          return Optional.empty();
        }
        log.warn(
            "model {}: version {} would be rolled back ({}), but it has no parent to go back to",
            model,
            watch.version(),
            verdict.reason());
        return Optional.empty();
      }
    }
    if (verdict.action() == RolloutDecider.Action.HOLD) {
      return Optional.empty();
    }
    RolloutDecision decision =
        new RolloutDecision(
            model,
            watch.kind(),
            verdict.action() == RolloutDecider.Action.PROMOTE
                ? RolloutDecision.PROMOTE
                : RolloutDecision.ROLL_BACK,
            watch.version(),
            production,
            target,
            verdict.reason(),
            watch.since(),
            now,
            instance,
            live.describe(),
            describe(bounds),
            BucketLayout.rolloutDecision(model, now));
    if (!store.putIfAbsent(claim, bytes(decision))) {
      readClaim(model, claim).ifPresent(other -> carryOut(other, false));
      return Optional.empty();
    }
    carryOut(decision, true);
    return Optional.of(decision);
  }

  private Optional<RolloutDecision> readClaim(String model, String key) {
    try {
      return Optional.of(json.readValue(readBytes(key, MAX_FILE_BYTES), RolloutDecision.class));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchObjectException) {
        return Optional.empty();
      }
      throw e;
    } catch (IOException | TriadError | IllegalArgumentException e) {
      // the state is claimed, by what cannot be read: nothing is decided over it
      throw TriadError.unprocessable(
          "the rollout claim " + key + " is unreadable, nothing done: " + e.getMessage());
    }
  }

  /** Writes the decision and changes the aliases, each step repeatable. */
  private void carryOut(RolloutDecision decision, boolean mine) {
    String model = decision.model();
    store.put(decision.record(), bytes(decision));
    String production = readText(BucketLayout.alias(model, BucketLayout.PRODUCTION)).trim();
    String canaryKey = BucketLayout.alias(model, BucketLayout.CANARY);
    boolean changed = false;
    if (decision.kind().equals(RolloutDecision.CANARY)) {
      if (decision.action().equals(RolloutDecision.PROMOTE)
          && production.equals(decision.productionBefore())) {
        store.put(
            BucketLayout.alias(model, BucketLayout.PRODUCTION),
            decision.version().getBytes(StandardCharsets.UTF_8),
            Map.of(ROLLOUT_METADATA, "promoted"));
        changed = true;
      }
      VersionShare canary = store.exists(canaryKey) ? canary(model, canaryKey) : null;
      if (canary != null && canary.version().equals(decision.version())) {
        store.delete(canaryKey);
        changed = true;
      }
    } else if (production.equals(decision.version())) {
      store.put(
          BucketLayout.alias(model, BucketLayout.PRODUCTION),
          decision.productionAfter().getBytes(StandardCharsets.UTF_8),
          Map.of(ROLLOUT_METADATA, "rollback"));
      changed = true;
    }
    if (changed) {
      registry.refresh(model);
    }
    if (mine) {
      String what =
          decision.kind().equals(RolloutDecision.CANARY)
              ? (decision.action().equals(RolloutDecision.PROMOTE)
                  ? "canary version " + decision.version() + " promoted"
                  : "canary version "
                      + decision.version()
                      + " rolled back, production stays on "
                      + decision.productionAfter())
              : "version "
                  + decision.version()
                  + " rolled back to its parent, version "
                  + decision.productionAfter();
      if (decision.action().equals(RolloutDecision.PROMOTE)) {
        log.info("model {}: {}: {} ({})", model, what, decision.reason(), decision.record());
      } else {
        log.warn("model {}: {}: {} ({})", model, what, decision.reason(), decision.record());
      }
    } else if (changed) {
      log.info("model {}: rollout decision {} carried out again", model, decision.record());
    }
  }

  /** The version {@code version} was trained from, when it has one that is still published. */
  private String parent(String model, String version) {
    try {
      var lineage = registry.manifest(model, version).lineage();
      String parent = lineage == null ? null : lineage.parentVersion();
      if (parent == null || parent.equals(version)) {
        return null;
      }
      registry.manifest(model, parent);
      return parent;
    } catch (TriadError e) {
      return null;
    }
  }

  /** The drift a check found for {@code watch}'s version since it was promoted, or null. */
  private String drift(String model, Watch watch) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (LocalDate day : List.of(today, today.minusDays(1))) {
      for (String base :
          List.of(
              BucketLayout.servedDriftReport(model, watch.version(), day),
              BucketLayout.driftReport(model, watch.version(), day))) {
        Optional<BlobInfo> report = store.head(base + ".json");
        if (report.isEmpty() || report.get().lastModified().isBefore(watch.since())) {
          continue;
        }
        try {
          if (json.readTree(readBytes(base + ".json", MAX_FILE_BYTES))
              .path("drifted")
              .asBoolean()) {
            return "drift found since the promotion (" + base + ".json)";
          }
        } catch (IOException | TriadError e) {
          log.warn("model {}: drift report {} unreadable: {}", model, base, e.getMessage());
        }
      }
    }
    return null;
  }

  private static Map<String, Object> describe(RolloutSettings bounds) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("minRequests", bounds.minRequests());
    out.put("minDuration", bounds.minDuration().toString());
    out.put("maxErrorRate", bounds.maxErrorRate());
    out.put("maxP99Ms", bounds.maxP99().toMillis());
    out.put("minAgreement", bounds.minAgreement());
    out.put("watch", bounds.watch().toString());
    return out;
  }

  private byte[] bytes(RolloutDecision decision) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(decision);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readText(String key) {
    return new String(readBytes(key, 4096), StandardCharsets.UTF_8);
  }

  /** An object of at most {@code limit} bytes; a larger one is refused unread past the limit. */
  private byte[] readBytes(String key, int limit) {
    try (InputStream in = store.open(key)) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw TriadError.unprocessable(key + " is over " + limit + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
