package io.triad.functions.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.config.PayloadSettings;
import io.triad.functions.model.DataProfile;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled drift check: what the payload log holds of the served version, on the day of a
 * schedule tick and the day before, compared with the version's training data ({@link DriftCheck},
 * the same rules as a labelled evaluation's), written as {@code
 * monitoring/{m}/{v}/served-drift-{day}.json} and {@code .html}. Only the logged fields ({@code
 * payloads.fields}) are compared. Reading is bounded: at most {@value #MAX_OBJECTS} objects and
 * {@value #MAX_BYTES} bytes a check, and {@link ServedSample} keeps a bounded sample.
 */
public final class ServedDrift {
  private static final Logger log = LoggerFactory.getLogger(ServedDrift.class);

  /** The most payload objects one check reads. */
  public static final int MAX_OBJECTS = 500;

  /** The largest payload object read; the log itself writes at most 8 MB an object. */
  public static final long MAX_OBJECT_BYTES = 64L << 20;

  /** The most bytes of payload log one check reads. */
  public static final long MAX_BYTES = 256L << 20;

  private final BlobStore store;
  private final ObjectMapper json;
  private final ModelRegistry registry;
  private final DriftMonitor monitor;
  private final Function<String, PayloadSettings> payloads;

  public ServedDrift(
      BlobStore store,
      ObjectMapper json,
      ModelRegistry registry,
      DriftMonitor monitor,
      Function<String, PayloadSettings> payloads) {
    this.store = store;
    this.json = json;
    this.registry = registry;
    this.monitor = monitor;
    this.payloads = payloads;
  }

  /**
   * What a check came to: its report, or why there was nothing to compare.
   *
   * @param report the check's report, or null
   * @param reason why nothing was checked, or null
   */
  public record Result(DriftCheck.DriftReport report, String reason) {
    public static Result nothing(String reason) {
      return new Result(null, reason);
    }

    public boolean drifted() {
      return report != null && report.drifted();
    }
  }

  /** Checks {@code model}'s served version against its payload log around {@code time}. */
  public Result check(String model, Instant time) {
    PayloadSettings settings = payloads.apply(model);
    if (!settings.on() || settings.fields().isEmpty()) {
      return Result.nothing(
          "its payload log is off or logs no input fields (payloads.rate, payloads.fields)");
    }
    Optional<String> served = registry.productionVersion(model);
    if (served.isEmpty()) {
      return Result.nothing("no version is served");
    }
    String version = served.get();
    ModelManifest manifest = registry.manifest(model, version);
    DataProfile profile = manifest.profile();
    if (profile == null || manifest.preprocessing() == null) {
      return Result.nothing("version " + version + " has no profile of its training data");
    }
    Set<String> logged = Set.copyOf(settings.fields());
    ServedSample sample = new ServedSample(manifest, null, logged::contains);
    LocalDate day = LocalDate.ofInstant(time, ZoneOffset.UTC);
    Budget budget = new Budget();
    for (LocalDate d : List.of(day.minusDays(1), day)) {
      for (BlobInfo object : store.list(BucketLayout.payloads(model, d))) {
        if (!budget.take(object)) {
          if (!budget.full) {
            budget.full = true;
            log.warn(
                "{}: the drift check read {} payload objects ({} bytes) and left the rest",
                model,
                budget.objects,
                budget.bytes);
          }
          break;
        }
        if (object.size() > MAX_OBJECT_BYTES) {
          // the payload log writes at most 8 MB an object: this one is not its
          log.warn("{}: {} is over {} bytes and not read", model, object.key(), MAX_OBJECT_BYTES);
          continue;
        }
        read(object.key(), version, sample);
      }
    }
    if (sample.rows() == 0) {
      return Result.nothing(
          "the payload log holds nothing of version "
              + version
              + " on "
              + day.minusDays(1)
              + " or "
              + day);
    }
    String source = BucketLayout.payloads(model, day);
    return new Result(monitor.checkServed(model, version, profile, source, sample, day), null);
  }

  /** Adds the lines of {@code key} that {@code version} answered. */
  private void read(String key, String version, ServedSample sample) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(store.open(key), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry;
        try {
          entry = json.readTree(line);
        } catch (IOException e) {
          continue; // a line cut short: the rest of the object still counts
        }
        JsonNode input = entry.path("input");
        if (version.equals(entry.path("version").asText()) && input.isObject()) {
          sample.add(
              name -> {
                JsonNode value = input.get(name);
                return value == null || value.isNull() ? null : value.asText();
              });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
  }

  private static final class Budget {
    int objects;
    long bytes;
    boolean full;

    boolean take(BlobInfo object) {
      if (objects >= MAX_OBJECTS || bytes + Math.max(0, object.size()) > MAX_BYTES) {
        return false;
      }
      objects++;
      bytes += Math.max(0, object.size());
      return true;
    }
  }
}
