package io.triad.functions.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What training costs: before a launch, an estimate (the model's last job's hours, or {@code
 * triad.cost.hours} before any, × {@code triad.cost.hourly}) goes into its {@code launch.json};
 * when its candidate arrives, the job's runtime (the trainer's own total in {@code training.json})
 * × the price is filed under {@code costs/{m}/{yyyy-MM}/{v}.json} with the estimate beside it, and
 * the month's summary {@code costs/{m}/{yyyy-MM}.json} is made again from every job filed that
 * month. With no price known, hours are still recorded and the dollars say so.
 */
public final class TrainingCosts {
  private static final Logger log = LoggerFactory.getLogger(TrainingCosts.class);

  /** The most job records a month's summary reads. */
  static final int MAX_JOBS = 2_000;

  private final BlobStore store;
  private final ObjectMapper json;
  private final TriadProperties.CostSettings settings;
  private final Clock clock;

  public TrainingCosts(
      BlobStore store, ObjectMapper json, TriadProperties.CostSettings settings, Clock clock) {
    this.store = store;
    this.json = json;
    this.settings = settings;
    this.clock = clock;
  }

  /** What a job of {@code model} is expected to cost, and on what basis. */
  public Map<String, Object> estimate(String model) {
    return estimate(model, null);
  }

  /**
   * What a job of {@code model} placed on {@code target} (null: this runtime's own service) is
   * expected to cost: the price table's price there, else {@code triad.cost.hourly}.
   */
  public Map<String, Object> estimate(String model, PlacementTarget target) {
    Double hourly = settings.hourlyAt(target);
    YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    Optional<JsonNode> last = summary(model, month).or(() -> summary(model, month.minusMonths(1)));
    double hours;
    String basis;
    if (last.isPresent() && last.get().path("lastHours").isNumber()) {
      hours = last.get().path("lastHours").asDouble();
      basis = "the last job's runtime (version " + last.get().path("lastVersion").asText() + ")";
    } else {
      hours = settings.hours();
      basis = "triad.cost.hours, before any job has run";
    }
    Map<String, Object> estimate = new LinkedHashMap<>();
    estimate.put("hours", round(hours));
    estimate.put("hourlyUsd", hourly);
    estimate.put("usd", hourly == null ? null : round(hours * hourly));
    estimate.put("basis", basis);
    if (hourly == null) {
      estimate.put("unpriced", "triad.cost.hourly is not set");
    }
    return estimate;
  }

  /**
   * Files the cost of the job that trained {@code version} of {@code model} from its candidate's
   * {@code training.json} and {@code launch.json}, and remakes the month's summary; a candidate
   * with no training report (made by hand) is not a job and files nothing.
   */
  public Optional<Map<String, Object>> record(String model, String version) {
    String dir = BucketLayout.candidateDir(model, version);
    Optional<JsonNode> training = read(dir + BucketLayout.TRAINING_REPORT_FILE);
    if (training.isEmpty()) {
      return Optional.empty();
    }
    JsonNode launch = read(dir + BucketLayout.LAUNCH_FILE).orElse(null);
    PlacementTarget target = placedOn(launch);
    Double hourly = settings.hourlyAt(target);
    long millis = training.get().path("millis").path("total").asLong(0);
    double hours = millis / 3_600_000.0;
    YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("model", model);
    job.put("version", version);
    job.put("month", month.toString());
    job.put("recorded", Instant.now(clock).toString());
    job.put("hours", round(hours));
    job.put("hourlyUsd", hourly);
    job.put("usd", hourly == null ? null : round(hours * hourly));
    job.put("devices", training.get().path("devices"));
    if (target != null) {
      job.put("placement", target.toString());
    }
    if (launch != null) {
      job.put("jobId", launch.path("jobId").asText(null));
      job.put("launched", launch.path("launched").asText(null));
      job.put("estimate", launch.path("cost"));
    }
    store.put(BucketLayout.costRecord(model, month, version), TriadJson.pretty(json, job));
    Map<String, Object> summary = summarize(model, month);
    store.put(BucketLayout.costSummary(model, month), TriadJson.pretty(json, summary));
    log.info(
        "{} version {}: training took {} h{}; {} this month over {} jobs",
        model,
        version,
        round(hours),
        hourly == null ? " (no price set)" : ", " + job.get("usd") + " USD",
        summary.get("usd") == null ? "unpriced" : summary.get("usd") + " USD",
        summary.get("jobs"));
    return Optional.of(job);
  }

  /** The target {@code launch.json} says the job was submitted to, or null. */
  private static PlacementTarget placedOn(JsonNode launch) {
    String target = launch == null ? null : launch.path("placement").path("target").asText(null);
    if (target == null) {
      return null;
    }
    try {
      return PlacementTarget.parse(target);
    } catch (IllegalArgumentException e) {
      log.warn("launch.json names a placement that is none ({}); priced as this runtime's", target);
      return null;
    }
  }

  private Map<String, Object> summarize(String model, YearMonth month) {
    List<BlobInfo> files = new ArrayList<>(store.list(BucketLayout.costMonth(model, month)));
    files.sort(java.util.Comparator.comparing(BlobInfo::lastModified));
    double hours = 0;
    double usd = 0;
    double estimated = 0;
    boolean priced = true;
    int jobs = 0;
    JsonNode last = null;
    List<Map<String, Object>> lines = new ArrayList<>();
    for (BlobInfo file : files.subList(Math.max(0, files.size() - MAX_JOBS), files.size())) {
      Optional<JsonNode> job = read(file.key());
      if (job.isEmpty()) {
        continue;
      }
      JsonNode j = job.get();
      jobs++;
      hours += j.path("hours").asDouble();
      priced &= j.path("usd").isNumber();
      usd += j.path("usd").asDouble();
      estimated += j.path("estimate").path("usd").asDouble();
      last = j;
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("version", j.path("version").asText());
      line.put("hours", j.path("hours").asDouble());
      line.put("usd", j.path("usd").isNumber() ? j.path("usd").asDouble() : null);
      line.put(
          "estimatedUsd",
          j.path("estimate").path("usd").isNumber()
              ? j.path("estimate").path("usd").asDouble()
              : null);
      lines.add(line);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("model", model);
    summary.put("month", month.toString());
    summary.put("jobs", jobs);
    summary.put("hours", round(hours));
    summary.put("usd", priced ? round(usd) : null);
    summary.put("estimatedUsd", round(estimated));
    summary.put("lastVersion", last == null ? null : last.path("version").asText());
    summary.put("lastHours", last == null ? null : last.path("hours").asDouble());
    summary.put("jobsByVersion", lines);
    return summary;
  }

  private Optional<JsonNode> summary(String model, YearMonth month) {
    return read(BucketLayout.costSummary(model, month));
  }

  private Optional<JsonNode> read(String key) {
    try (InputStream in = store.open(key)) {
      return Optional.of(json.readTree(in.readNBytes(1 << 20)));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("{} unreadable: {}", key, e.getMessage());
      return Optional.empty();
    }
  }

  private static double round(double value) {
    return Math.round(value * 1e4) / 1e4;
  }
}
