package io.triad.models;

import io.triad.functions.model.DataProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@link DataProfile} of the training rows, gathered in one pass over them as they stream by:
 * moments and a seeded reservoir sample per numeric column (every value when there are few enough),
 * counts per category of each one-hot column, counts per class. Memory is the samples, whatever the
 * number of rows.
 */
final class ProfileBuilder {
  /**
   * The most sampled values kept over all numeric features, so a wide table's manifest stays small.
   */
  static final int TOTAL_SAMPLE_LIMIT = 20_000;

  private final List<FeatureColumn> features;
  private final List<String> labels;
  private final int sampleSize;
  private final Random random;
  private final Map<String, double[]> samples = new LinkedHashMap<>();
  private final Map<String, double[]> moments = new LinkedHashMap<>();
  private final Map<String, long[]> categories = new LinkedHashMap<>();
  private final long[] classes;
  private long rows;

  ProfileBuilder(List<FeatureColumn> features, List<String> labels, long seed) {
    this.features = List.copyOf(features);
    this.labels = List.copyOf(labels);
    long numeric = features.stream().filter(f -> !f.isCategorical()).count();
    this.sampleSize =
        (int) Math.min(DataProfile.SAMPLE_LIMIT, TOTAL_SAMPLE_LIMIT / Math.max(1, numeric));
    this.random = new Random(seed);
    this.classes = new long[labels.size()];
    for (FeatureColumn feature : features) {
      if (feature.isCategorical()) {
        categories.put(feature.name(), new long[feature.width()]);
      } else {
        samples.put(feature.name(), new double[sampleSize]);
        // count, mean, M2, min, max (Welford)
        moments.put(
            feature.name(),
            new double[] {0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
      }
    }
  }

  /** One training row: its raw input (the network's encoding) and its class. */
  void add(float[] row, int label) {
    rows++;
    classes[label]++;
    // one draw per row decides where it goes in every reservoir, so the samples stay aligned
    long slot = rows <= sampleSize ? rows - 1 : (long) (random.nextDouble() * rows);
    int offset = 0;
    for (FeatureColumn feature : features) {
      if (feature.isCategorical()) {
        long[] counts = categories.get(feature.name());
        for (int k = 0; k < feature.width(); k++) {
          if (row[offset + k] != 0f) {
            counts[k]++;
          }
        }
      } else {
        double value = row[offset];
        double[] m = moments.get(feature.name());
        m[0]++;
        double delta = value - m[1];
        m[1] += delta / m[0];
        m[2] += delta * (value - m[1]);
        m[3] = Math.min(m[3], value);
        m[4] = Math.max(m[4], value);
        if (slot < sampleSize) {
          samples.get(feature.name())[(int) slot] = value;
        }
      }
      offset += feature.width();
    }
  }

  DataProfile build() {
    Map<String, DataProfile.NumericProfile> numeric = new LinkedHashMap<>();
    Map<String, Map<String, Long>> categorical = new LinkedHashMap<>();
    for (FeatureColumn feature : features) {
      if (feature.isCategorical()) {
        long[] counts = categories.get(feature.name());
        Map<String, Long> byValue = new LinkedHashMap<>();
        for (int k = 0; k < counts.length; k++) {
          byValue.put(feature.vocabulary().get(k), counts[k]);
        }
        categorical.put(feature.name(), byValue);
      } else {
        double[] m = moments.get(feature.name());
        double[] sample =
            Arrays.copyOf(samples.get(feature.name()), (int) Math.min(rows, sampleSize));
        Arrays.sort(sample);
        List<Double> values = new ArrayList<>(sample.length);
        for (double v : sample) {
          values.add(v);
        }
        numeric.put(
            feature.name(),
            new DataProfile.NumericProfile(
                (long) m[0], m[1], m[0] > 0 ? Math.sqrt(m[2] / m[0]) : 0, m[3], m[4], values));
      }
    }
    Map<String, Long> byClass = new LinkedHashMap<>();
    for (int c = 0; c < classes.length; c++) {
      byClass.put(labels.get(c), classes[c]);
    }
    return new DataProfile(rows, numeric, categorical, byClass);
  }
}
