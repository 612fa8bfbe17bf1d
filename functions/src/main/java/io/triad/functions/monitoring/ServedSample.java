package io.triad.functions.monitoring;

import io.triad.functions.model.ModelManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * What a version was given, gathered row by row to compare with what it trained on ({@link
 * DriftCheck}): per numeric feature a seeded reservoir of at most {@value #LIMIT} values (every
 * value below that), per categorical feature (and the label, when the rows carry one) the count of
 * each of its first {@value #DISTINCT} distinct values, the rest together. Memory is bounded,
 * whatever the rows hold.
 */
public final class ServedSample {
  public static final int LIMIT = 10_000;

  /**
   * Distinct values counted per categorical column; any further value counts as {@value #OTHER}.
   */
  public static final int DISTINCT = 1_000;

  /** Where the values beyond {@link #DISTINCT} are counted. */
  public static final String OTHER = "(other values)";

  private final Map<String, double[]> numeric = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> categorical = new LinkedHashMap<>();
  private final String label;
  private final Random random = new Random(17);
  private long rows;

  /**
   * For a picture model: each picture's brightness and contrast ({@link
   * io.triad.functions.image.PictureStats}) and, when {@code label} is not null, its class.
   */
  public static ServedSample pictures(String label) {
    return new ServedSample(io.triad.functions.image.PictureStats.FEATURES, label);
  }

  private ServedSample(List<String> numericFeatures, String label) {
    for (String feature : numericFeatures) {
      numeric.put(feature, new double[LIMIT]);
    }
    this.label = label;
    if (label != null) {
      categorical.put(label, new LinkedHashMap<>());
    }
  }

  /** For {@code manifest}'s features and, when {@code label} is not null, that column. */
  public ServedSample(ModelManifest manifest, String label) {
    this(manifest, label, feature -> true);
  }

  /**
   * For those of {@code manifest}'s features that {@code kept} accepts (the fields a payload log
   * holds: a feature never logged is not compared, rather than compared as missing).
   */
  public ServedSample(
      ModelManifest manifest, String label, java.util.function.Predicate<String> kept) {
    if (manifest.preprocessing() != null) {
      for (ModelManifest.Feature feature : manifest.preprocessing().features()) {
        if (!kept.test(feature.name())) {
          continue;
        }
        if (ModelManifest.Feature.CATEGORICAL.equals(feature.type())) {
          categorical.put(feature.name(), new LinkedHashMap<>());
        } else {
          numeric.put(feature.name(), new double[LIMIT]);
        }
      }
    }
    this.label = label;
    if (label != null) {
      categorical.put(label, new LinkedHashMap<>());
    }
  }

  /** One row, its values by column name. */
  public void add(Function<String, String> value) {
    rows++;
    long slot = rows <= LIMIT ? rows - 1 : (long) (random.nextDouble() * rows);
    for (Map.Entry<String, double[]> feature : numeric.entrySet()) {
      if (slot < LIMIT) {
        String text = value.apply(feature.getKey());
        double parsed;
        try {
          parsed = text == null ? Double.NaN : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
          parsed = Double.NaN;
        }
        if (!Double.isFinite(parsed)) {
          // not a number, or an infinity no distance is defined for
          parsed = Double.NaN;
        }
        feature.getValue()[(int) slot] = parsed;
      }
    }
    for (Map.Entry<String, Map<String, Long>> feature : categorical.entrySet()) {
      String text = value.apply(feature.getKey());
      String key = text == null ? "" : text.trim();
      Map<String, Long> counts = feature.getValue();
      if (!counts.containsKey(key) && counts.size() >= DISTINCT) {
        key = OTHER;
      }
      counts.merge(key, 1L, Long::sum);
    }
  }

  public long rows() {
    return rows;
  }

  /** The label column, or null. */
  public String label() {
    return label;
  }

  /** The sampled values of a numeric feature, sorted, without the unreadable ones. */
  public List<Double> numeric(String feature) {
    double[] values = numeric.get(feature);
    if (values == null) {
      return List.of();
    }
    double[] kept =
        Arrays.stream(values, 0, (int) Math.min(rows, LIMIT))
            .filter(v -> !Double.isNaN(v))
            .toArray();
    Arrays.sort(kept);
    List<Double> out = new ArrayList<>(kept.length);
    for (double v : kept) {
      out.add(v);
    }
    return out;
  }

  public Map<String, Long> categorical(String feature) {
    return categorical.getOrDefault(feature, Map.of());
  }
}
