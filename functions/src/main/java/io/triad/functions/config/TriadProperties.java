package io.triad.functions.config;

import io.triad.functions.http.ApiSettings;
import io.triad.functions.training.PlacementTarget;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything under {@code triad.*}, bound once at start. Each runtime reads it from its own
 * configuration: application.yaml locally, environment variables or app settings on the clouds.
 *
 * @param maxBodyBytes largest HTTP body accepted (413 above it)
 * @param aliasRefresh how long a resolved production alias is trusted
 * @param intraOpThreads ONNX Runtime intra-op threads per session
 * @param microBatchRows rows scored per batch when a file is uploaded
 * @param catalog models that exist besides those with settings of their own ({@code triad.catalog},
 *     or {@code TRIAD_CATALOG=iris,digits} in the environment, which is how the stacks name them)
 * @param models per-model settings by model name; a model named here exists too
 * @param maxUploadBytes the largest upload scored (2 GiB); a larger one is set aside with the
 *     reason, unread
 * @param maxFailedCopyBytes the largest upload copied under {@code failed/} (64 MiB); a larger
 *     one's record names it instead, as the original stays where it was uploaded
 * @param accessLog a log line per HTTP request: method, path, status, time; with the model, the
 *     version that answered and the request id in the logging context (off by default; {@code
 *     triad.logging.json} turns it on with JSON logs)
 * @param payloadFlush how often logged payloads are written to the bucket (10 s by default; also
 *     when 1,000 lines wait, and at shutdown)
 * @param otlp spans and metrics over OTLP ({@code triad.otlp.endpoint}; off by default)
 * @param cost what a training job costs here: {@code triad.cost.hourly}, the GPU machine's price an
 *     hour in US dollars (unknown unless set; the stacks set each cloud's from {@code
 *     infra/triad.yaml}), and {@code triad.cost.hours}, a job's expected hours before any has run
 * @param rolloutCheck how often a serving instance writes its live figures and decides its models'
 *     rollouts (30 s by default; on AWS also at the end of an invocation when that much has passed)
 */
public record TriadProperties(
    Integer maxBodyBytes,
    Duration aliasRefresh,
    Integer intraOpThreads,
    Integer microBatchRows,
    List<String> catalog,
    Map<String, ModelSettings> models,
    Long maxUploadBytes,
    Long maxFailedCopyBytes,
    Boolean accessLog,
    Duration payloadFlush,
    io.triad.functions.telemetry.OtlpSettings otlp,
    Duration rolloutCheck,
    CostSettings cost) {

  /**
   * What training costs.
   *
   * @param hourly this runtime's own batch machine's price an hour (null: unknown)
   * @param hours a job's expected hours before one has run (1)
   * @param prices the price table, {@code cloud/region/spot=USD} or {@code
   *     cloud/region/on-demand=USD} (an hour of the GPU machine there): what a placement's {@code
   *     cheapest} orders by, and what a job placed there is costed at
   */
  public record CostSettings(Double hourly, Double hours, List<String> prices) {
    public CostSettings {
      if (hourly != null && (hourly < 0 || hourly.isNaN())) {
        throw new IllegalArgumentException("triad.cost.hourly is a price, 0 or more");
      }
      hours = hours == null ? 1.0 : hours;
      prices =
          prices == null
              ? List.of()
              : prices.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
      table(prices); // refused at start, not at the first tick
    }

    /** The price table, by target, in the order it was written. */
    public Map<PlacementTarget, Double> table() {
      return table(prices);
    }

    /** The price an hour of a job placed on {@code target}: the table's, else {@link #hourly}. */
    public Double hourlyAt(PlacementTarget target) {
      return target == null ? hourly : table().getOrDefault(target, hourly);
    }

    private static Map<PlacementTarget, Double> table(List<String> prices) {
      Map<PlacementTarget, Double> table = new java.util.LinkedHashMap<>();
      for (String entry : prices) {
        int eq = entry.lastIndexOf('=');
        double usd;
        try {
          usd = eq < 0 ? Double.NaN : Double.parseDouble(entry.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
          usd = Double.NaN;
        }
        if (Double.isNaN(usd) || usd < 0 || Double.isInfinite(usd)) {
          throw new IllegalArgumentException(
              "triad.cost.prices holds cloud/region/spot=USD or cloud/region/on-demand=USD, not "
                  + entry);
        }
        table.put(PlacementTarget.parse(entry.substring(0, eq)), usd);
      }
      return table;
    }
  }

  public TriadProperties {
    maxBodyBytes = maxBodyBytes == null ? ApiSettings.DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    aliasRefresh = aliasRefresh == null ? Duration.ofSeconds(2) : aliasRefresh;
    intraOpThreads = intraOpThreads == null ? 1 : intraOpThreads;
    microBatchRows = microBatchRows == null ? 1024 : microBatchRows;
    catalog =
        catalog == null
            ? List.of()
            : catalog.stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
    models = models == null ? Map.of() : new TreeMap<>(models);
    maxUploadBytes = maxUploadBytes == null ? 2L << 30 : maxUploadBytes;
    maxFailedCopyBytes = maxFailedCopyBytes == null ? 64L << 20 : maxFailedCopyBytes;
    accessLog = accessLog != null && accessLog;
    payloadFlush = payloadFlush == null ? Duration.ofSeconds(10) : payloadFlush;
    otlp = otlp == null ? io.triad.functions.telemetry.OtlpSettings.off() : otlp;
    rolloutCheck = rolloutCheck == null ? Duration.ofSeconds(30) : rolloutCheck;
    cost = cost == null ? new CostSettings(null, null, null) : cost;
  }

  public static TriadProperties defaults() {
    return new TriadProperties(
        null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Which models exist, the one answer every runtime uses: readiness waits for them, a schedule
   * tick that names no model retrains them, an upload for one with nothing served yet waits. The
   * catalog's names first, in its order, then those with settings of their own, by name.
   */
  public List<String> modelNames() {
    Set<String> names = new LinkedHashSet<>(catalog);
    names.addAll(models.keySet());
    return List.copyOf(names);
  }

  public ModelSettings model(String name) {
    ModelSettings settings = models.get(name);
    return settings != null
        ? settings
        : new ModelSettings(null, null, null, null, null, null, null, null, null);
  }

  public ApiSettings api(String serverVersion) {
    return new ApiSettings(maxBodyBytes, modelNames(), serverVersion, microBatchRows, accessLog);
  }
}
