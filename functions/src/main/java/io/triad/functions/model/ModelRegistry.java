package io.triad.functions.model;

import io.triad.functions.api.RequestId;
import io.triad.functions.api.TriadError;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves model versions: resolves the production alias, verifies each package before it is loaded,
 * keeps one ONNX Runtime session per version, and moves to a newly promoted version without a
 * restart while requests already running finish on the old one.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  private final BlobStore store;
  private final ModelLoader loader;
  private final long aliasRefreshNanos;
  private final int maxPinned;
  private final Set<String> configured;
  private final LongSupplier nanoClock;
  private final Map<String, ServedModel> served = new ConcurrentHashMap<>();
  private final Map<String, LoadedModel> pinned = new LinkedHashMap<>(16, 0.75f, true);

  public ModelRegistry(BlobStore store, ModelLoader loader, RegistrySettings settings) {
    this(store, loader, settings, System::nanoTime);
  }

  ModelRegistry(
      BlobStore store, ModelLoader loader, RegistrySettings settings, LongSupplier nanoClock) {
    this.store = store;
    this.loader = loader;
    this.aliasRefreshNanos = settings.aliasRefresh().toNanos();
    this.maxPinned = settings.maxPinnedVersions();
    this.configured = settings.configuredModels();
    this.nanoClock = nanoClock;
  }

  /**
   * Holds a model for one request: {@code version} null means the production version.
   *
   * @throws TriadError 404 for an unknown model or version; not ready (503) for a configured model
   *     with nothing servable; transient (503) when the store cannot be read and nothing is loaded
   */
  public ModelLease acquire(String name, String version) {
    return acquire(name, version, org.slf4j.MDC.get(RequestId.MDC_KEY));
  }

  /**
   * As {@link #acquire(String, String)}; with {@code version} null, a request or upload whose id
   * {@code routing} falls in the canary's share ({@link VersionShare}) gets the canary version,
   * when one is named and can be served; production otherwise, and always when {@code routing} is
   * null.
   */
  public ModelLease acquire(String name, String version, String routing) {
    ModelKeys.checkName(name);
    if (version != null) {
      return acquirePinned(name, ModelKeys.checkVersion(version));
    }
    ServedModel model = served.computeIfAbsent(name, ServedModel::new);
    while (true) {
      LoadedModel current;
      try {
        current = model.current();
      } catch (TriadError e) {
        if (e.kind() == TriadError.Kind.NOT_FOUND) {
          // no slot kept for names that do not exist, or random names would grow the map forever
          served.remove(name, model);
        }
        throw e;
      }
      LoadedModel canary = model.canaryFor(routing);
      if (canary != null && canary.tryAcquire()) {
        return chosen(new ModelLease(canary));
      }
      if (current.tryAcquire()) {
        return chosen(new ModelLease(current));
      }
      // retired between read and acquire: the next read sees its successor
    }
  }

  /**
   * Names the version chosen in the logging context of the request or upload being handled, so a
   * failure after this point is counted against it ({@code model_version}).
   */
  private static ModelLease chosen(ModelLease lease) {
    if (org.slf4j.MDC.get(RequestId.MDC_KEY) != null) {
      org.slf4j.MDC.put(MODEL_VERSION_KEY, lease.version());
    }
    return lease;
  }

  /** The logging context's key for the version that answers a request or upload. */
  public static final String MODEL_VERSION_KEY = "model_version";

  /** The canary named now, and its weight, as last read; empty when there is none. */
  public java.util.Optional<VersionShare> canary(String name) {
    ServedModel model = served.get(name);
    return java.util.Optional.ofNullable(model == null ? null : model.canary.share);
  }

  /** The shadow named now, and its weight, as last read; empty when there is none. */
  public java.util.Optional<VersionShare> shadow(String name) {
    ServedModel model = served.get(name);
    return java.util.Optional.ofNullable(model == null ? null : model.shadow.share);
  }

  /**
   * Why this instance could not serve {@code version} as {@code name}'s canary, or null when it can
   * (or was not asked to).
   */
  public String canaryRefusal(String name, String version) {
    ServedModel model = served.get(name);
    if (model == null) {
      return null;
    }
    ServedModel.Side canary = model.canary;
    return version.equals(canary.refusedVersion) ? canary.refusal : null;
  }

  /**
   * The shadow version for the request whose id is {@code routing}, held, when a shadow alias names
   * one that serves and the request is in its share; empty otherwise. Reads nothing: the shadow is
   * resolved with production.
   */
  public java.util.Optional<ModelLease> acquireShadow(String name, String routing) {
    ServedModel model = served.get(name);
    LoadedModel shadow = model == null ? null : model.shadowFor(routing);
    return shadow != null && shadow.tryAcquire()
        ? java.util.Optional.of(new ModelLease(shadow))
        : java.util.Optional.empty();
  }

  /** The version the production alias names now, if any; reads the store. */
  public java.util.Optional<String> productionVersion(String name) {
    ModelKeys.checkName(name);
    try (var in = store.open(BucketLayout.alias(name, BucketLayout.PRODUCTION))) {
      return java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (NoSuchObjectException e) {
      return java.util.Optional.empty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The versions that have a manifest under {@code models/{name}/}, oldest name first. */
  public List<String> versions(String name) {
    ModelKeys.checkName(name);
    List<String> versions = new ArrayList<>();
    String prefix = BucketLayout.MODELS + name + "/";
    for (BlobInfo blob : store.list(prefix)) {
      String rest = blob.key().substring(prefix.length());
      if (rest.endsWith("/" + BucketLayout.MANIFEST_FILE)
          && rest.indexOf('/') == rest.lastIndexOf('/')) {
        versions.add(rest.substring(0, rest.indexOf('/')));
      }
    }
    return versions;
  }

  /** The manifest of a version, checked but without loading the model. */
  public ModelManifest manifest(String name, String version) {
    return loader.manifest(ModelKeys.checkName(name), ModelKeys.checkVersion(version));
  }

  /**
   * Opens a candidate package from {@code candidates/{name}/{version}/} for evaluation, checked
   * like any other; it is not cached, and closing the lease closes its session.
   */
  public ModelLease openCandidate(String name, String version) {
    return new ModelLease(
        loader.loadCandidate(ModelKeys.checkName(name), ModelKeys.checkVersion(version)));
  }

  /** Forgets the resolved alias so the next request reads it again (after a promotion here). */
  public void refresh(String name) {
    ServedModel model = served.get(name);
    if (model != null) {
      model.checkedAt = Long.MIN_VALUE;
    }
  }

  /** Whether {@code name} (or one version of it) can serve now, and why not. */
  public Readiness readiness(String name, String version) {
    try (ModelLease lease = acquire(name, version, null)) {
      return new Readiness(true, lease.version(), version == null ? refusal(name) : null);
    } catch (TriadError e) {
      if (e.kind() == TriadError.Kind.NOT_FOUND) {
        throw e;
      }
      return new Readiness(false, version, e.getMessage());
    }
  }

  /**
   * Ready or not, with the version that answers and the reason when not; a ready model whose
   * production alias names a version that was refused has that refusal as its reason.
   */
  public record Readiness(boolean ready, String version, String reason) {}

  /**
   * Why the version the production alias names is not the one serving (its package was refused), or
   * null when it is, or when nothing was read yet.
   */
  public String refusal(String name) {
    ServedModel model = served.get(name);
    TriadError error = model == null ? null : model.lastError;
    return error == null ? null : error.getMessage();
  }

  @Override
  public void close() {
    served.values().forEach(ServedModel::retire);
    served.clear();
    synchronized (pinned) {
      pinned.values().forEach(LoadedModel::retire);
      pinned.clear();
    }
  }

  private ModelLease acquirePinned(String name, String version) {
    ServedModel production = served.get(name);
    LoadedModel current = production == null ? null : production.loaded;
    if (current != null && current.manifest().version().equals(version) && current.tryAcquire()) {
      return new ModelLease(current);
    }
    for (LoadedModel side :
        production == null
            ? new LoadedModel[0]
            : new LoadedModel[] {production.canary.loaded, production.shadow.loaded}) {
      if (side != null && side.manifest().version().equals(version) && side.tryAcquire()) {
        return new ModelLease(side);
      }
    }
    String key = name + "/" + version;
    synchronized (pinned) {
      LoadedModel model = pinned.get(key);
      if (model == null || !model.tryAcquire()) {
        model = loader.load(name, version);
        pinned.put(key, model);
        model.tryAcquire();
        evictPinned();
      }
      return new ModelLease(model);
    }
  }

  private void evictPinned() {
    var it = pinned.entrySet().iterator();
    while (pinned.size() > maxPinned && it.hasNext()) {
      LoadedModel eldest = it.next().getValue();
      it.remove();
      eldest.retire();
    }
  }

  /** The largest canary or shadow alias read. */
  private static final int MAX_ALIAS_BYTES = 4096;

  /** The production slot of one model name, and its canary's. */
  private final class ServedModel {
    private final String name;
    private volatile LoadedModel loaded;
    private final Side canary = new Side(BucketLayout.CANARY);
    private final Side shadow = new Side(BucketLayout.SHADOW);
    private volatile long checkedAt = Long.MIN_VALUE;
    private volatile TriadError lastError;

    ServedModel(String name) {
      this.name = name;
    }

    LoadedModel current() {
      if (isStale()) {
        synchronized (this) {
          if (isStale()) {
            resolve();
          }
        }
      }
      LoadedModel model = loaded;
      if (model == null) {
        throw lastError != null
            ? lastError
            : TriadError.notReady("model " + name + " is not loaded");
      }
      return model;
    }

    private boolean isStale() {
      long checked = checkedAt;
      return checked == Long.MIN_VALUE || nanoClock.getAsLong() - checked > aliasRefreshNanos;
    }

    private void resolve() {
      try {
        long reading = io.triad.functions.metrics.StartPhases.begin();
        String version = productionVersion(name).orElse(null);
        // the first store call of a start pays for the client's first request
        io.triad.functions.metrics.StartPhases.end("model.alias-read", reading);
        if (version == null) {
          withdraw(
              versions(name).isEmpty() && !configured.contains(name)
                  ? TriadError.notFound("no such model: " + name)
                  : TriadError.notReady("model " + name + " has no production version yet"));
        } else if (loaded == null || !loaded.manifest().version().equals(version)) {
          switchTo(ModelKeys.checkVersion(version));
        }
        if (version != null) {
          long sides = io.triad.functions.metrics.StartPhases.begin();
          canary.resolve(version);
          shadow.resolve(version);
          io.triad.functions.metrics.StartPhases.end("model.canary-and-shadow-reads", sides);
        }
      } catch (TriadError e) {
        lastError = e;
        log.error(
            "model {}: keeping {} ({})",
            name,
            loaded == null ? "nothing" : "version " + loaded.manifest().version(),
            e.getMessage());
      } catch (RuntimeException e) {
        // a storage fault is nobody's verdict on the model: retried, never reported as its state
        lastError =
            TriadError.transientFault(
                "model " + name + ": the store could not be read; try again", e);
        log.error(
            "model {}: the store could not be read, keeping {}",
            name,
            loaded == null ? "nothing" : "version " + loaded.manifest().version(),
            e);
      } finally {
        checkedAt = nanoClock.getAsLong();
      }
    }

    /** The canary loaded for {@code routing}'s share, or null for production. */
    LoadedModel canaryFor(String routing) {
      VersionShare named = canary.share;
      LoadedModel model = canary.loaded;
      return named != null && model != null && named.takes(routing) ? model : null;
    }

    /** The shadow loaded for {@code routing}'s share, or null for none. */
    LoadedModel shadowFor(String routing) {
      VersionShare named = shadow.share;
      LoadedModel model = shadow.loaded;
      return named != null && model != null && named.shadows(routing) ? model : null;
    }

    private void switchTo(String version) {
      LoadedModel next;
      try {
        next = loader.load(name, version);
      } catch (TriadError e) {
        throw TriadError.notReady(
            "production alias of "
                + name
                + " names version "
                + version
                + ", which cannot be served: "
                + e.getMessage());
      }
      LoadedModel previous = loaded;
      loaded = next;
      lastError = null;
      log.info(
          "model {}: serving version {}{}",
          name,
          version,
          previous == null ? "" : " (was " + previous.manifest().version() + ")");
      if (previous != null) {
        previous.retire();
      }
    }

    private void withdraw(TriadError reason) {
      LoadedModel previous = loaded;
      loaded = null;
      lastError = reason;
      if (previous != null) {
        log.warn(
            "model {}: production alias is gone, version {} withdrawn",
            name,
            previous.manifest().version());
        previous.retire();
      }
    }

    void retire() {
      LoadedModel previous = loaded;
      loaded = null;
      if (previous != null) {
        previous.retire();
      }
      canary.drop(null);
      shadow.drop(null);
    }

    /**
     * A version beside production, named by an alias of its own ({@code canary}, {@code shadow})
     * with a share: one other than production's with a share above 0 is loaded (and checked like
     * any package); one that cannot be served is logged and left out; a removed alias retires it.
     */
    private final class Side {
      private final String alias;
      private volatile VersionShare share;
      private volatile LoadedModel loaded;
      private volatile String refusedVersion;
      private volatile String refusal;

      Side(String alias) {
        this.alias = alias;
      }

      void resolve(String production) {
        VersionShare next;
        try {
          next = VersionShare.parse(readAlias(BucketLayout.alias(name, alias)), alias);
        } catch (java.io.UncheckedIOException e) {
          if (e.getCause() instanceof NoSuchObjectException) {
            refusedVersion = null;
            drop(null);
          } else {
            // the store failed: the side stays as it was, and production too
            log.error("model {}: the {} alias could not be read: {}", name, alias, e.toString());
          }
          return;
        } catch (TriadError e) {
          drop("model " + name + ": " + alias + " alias ignored: " + e.getMessage());
          return;
        } catch (RuntimeException e) {
          log.error("model {}: the {} alias could not be read: {}", name, alias, e.toString());
          return;
        }
        if (next.weight() == 0 || next.version().equals(production)) {
          drop(null);
          share = next.weight() == 0 ? next : null;
          return;
        }
        LoadedModel current = loaded;
        if (current == null || !current.manifest().version().equals(next.version())) {
          LoadedModel fresh;
          try {
            fresh = loader.load(name, next.version());
          } catch (TriadError e) {
            refusedVersion = next.version();
            refusal = e.getMessage();
            drop(
                "model "
                    + name
                    + ": "
                    + alias
                    + " version "
                    + next.version()
                    + " cannot be served, production answers everything: "
                    + e.getMessage());
            return;
          }
          loaded = fresh;
          refusedVersion = null;
          refusal = null;
          log.info("model {}: {} version {} at {}%", name, alias, next.version(), next.weight());
          if (current != null) {
            current.retire();
          }
        }
        share = next;
      }

      /** An alias object, at most {@value #MAX_ALIAS_BYTES} bytes: a larger one is refused. */
      private byte[] readAlias(String key) {
        try (var in = store.open(key)) {
          byte[] bytes = in.readNBytes(MAX_ALIAS_BYTES + 1);
          if (bytes.length > MAX_ALIAS_BYTES) {
            throw TriadError.unprocessable("the alias is over " + MAX_ALIAS_BYTES + " bytes");
          }
          return bytes;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      void drop(String why) {
        LoadedModel previous = loaded;
        share = null;
        loaded = null;
        if (why != null) {
          log.error("{}", why);
        }
        if (previous != null) {
          log.info("model {}: {} version {} withdrawn", name, alias, previous.manifest().version());
          previous.retire();
        }
      }
    }
  }
}
