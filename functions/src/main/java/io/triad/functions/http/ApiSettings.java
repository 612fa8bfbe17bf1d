package io.triad.functions.http;

import java.util.List;

/**
 * @param maxBodyBytes the largest request body accepted (413 above it); 6 MB matches Lambda's
 *     synchronous payload limit so every runtime answers the same
 * @param models the models server readiness waits for
 * @param serverVersion reported by {@code GET /v2}
 * @param microBatchRows how many {@code :predict} instances are scored at once
 * @param accessLog one log line per request ({@code triad.access-log}; on with {@code
 *     triad.logging.json})
 */
public record ApiSettings(
    int maxBodyBytes,
    List<String> models,
    String serverVersion,
    int microBatchRows,
    boolean accessLog) {
  public static final int DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;

  public ApiSettings {
    maxBodyBytes = maxBodyBytes <= 0 ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    models = models == null ? List.of() : List.copyOf(models);
    serverVersion = serverVersion == null ? "dev" : serverVersion;
    microBatchRows = microBatchRows <= 0 ? 1024 : microBatchRows;
  }
}
