package io.triad.functions.config;

import io.triad.functions.http.ApiSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything under {@code triad.*}, bound once at start. Each runtime reads it from its own
 * configuration: application.yaml locally, environment variables or app settings on the clouds.
 *
 * @param maxBodyBytes largest HTTP body accepted (413 above it)
 * @param aliasRefresh how long a resolved production alias is trusted
 * @param intraOpThreads ONNX Runtime intra-op threads per session
 * @param microBatchRows rows scored per batch when a file is uploaded
 * @param models per-model settings by model name
 */
public record TriadProperties(
    Integer maxBodyBytes,
    Duration aliasRefresh,
    Integer intraOpThreads,
    Integer microBatchRows,
    Map<String, ModelSettings> models) {

  public TriadProperties {
    maxBodyBytes = maxBodyBytes == null ? ApiSettings.DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    aliasRefresh = aliasRefresh == null ? Duration.ofSeconds(2) : aliasRefresh;
    intraOpThreads = intraOpThreads == null ? 1 : intraOpThreads;
    microBatchRows = microBatchRows == null ? 1024 : microBatchRows;
    models = models == null ? Map.of() : new TreeMap<>(models);
  }

  public static TriadProperties defaults() {
    return new TriadProperties(null, null, null, null, null);
  }

  public ModelSettings model(String name) {
    ModelSettings settings = models.get(name);
    return settings != null ? settings : new ModelSettings(null, null, null, null);
  }

  public ApiSettings api(String serverVersion) {
    return new ApiSettings(maxBodyBytes, new ArrayList<>(models.keySet()), serverVersion);
  }
}
