package io.triad.functions.model;

import java.time.Duration;

/**
 * How the registry serves models.
 *
 * @param aliasRefresh how long a resolved production alias is trusted before the store is asked
 *     again (promotions in this process take effect at once; other instances see them within this)
 * @param intraOpThreads ONNX Runtime intra-op threads per session (1 keeps latency stable on small
 *     shared machines)
 * @param maxPinnedVersions how many explicitly requested non-production versions stay loaded
 */
public record RegistrySettings(Duration aliasRefresh, int intraOpThreads, int maxPinnedVersions) {
  public static final RegistrySettings DEFAULTS = new RegistrySettings(Duration.ofSeconds(2), 1, 4);

  public RegistrySettings {
    aliasRefresh = aliasRefresh == null ? DEFAULTS.aliasRefresh() : aliasRefresh;
    intraOpThreads = intraOpThreads <= 0 ? 1 : intraOpThreads;
    maxPinnedVersions = maxPinnedVersions <= 0 ? 4 : maxPinnedVersions;
  }
}
