package io.triad.functions.model;

import java.time.Duration;
import java.util.Set;

/**
 * How the registry serves models.
 *
 * @param aliasRefresh how long a resolved production alias is trusted before the store is asked
 *     again (promotions in this process take effect at once; other instances see them within this)
 * @param intraOpThreads ONNX Runtime intra-op threads per session (1 keeps latency stable on small
 *     shared machines)
 * @param maxPinnedVersions how many explicitly requested non-production versions stay loaded
 * @param configuredModels the catalog's models: one of these with nothing served yet is not ready
 *     (503, an upload waits for it), any other name with no versions does not exist (404)
 */
public record RegistrySettings(
    Duration aliasRefresh,
    int intraOpThreads,
    int maxPinnedVersions,
    Set<String> configuredModels) {
  public static final RegistrySettings DEFAULTS = new RegistrySettings(Duration.ofSeconds(2), 1, 4);

  public RegistrySettings {
    aliasRefresh = aliasRefresh == null ? Duration.ofSeconds(2) : aliasRefresh;
    intraOpThreads = intraOpThreads <= 0 ? 1 : intraOpThreads;
    maxPinnedVersions = maxPinnedVersions <= 0 ? 4 : maxPinnedVersions;
    configuredModels = configuredModels == null ? Set.of() : Set.copyOf(configuredModels);
  }

  public RegistrySettings(Duration aliasRefresh, int intraOpThreads, int maxPinnedVersions) {
    this(aliasRefresh, intraOpThreads, maxPinnedVersions, Set.of());
  }
}
