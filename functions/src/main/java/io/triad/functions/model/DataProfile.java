package io.triad.functions.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A sketch of the rows a version trained on, kept in its manifest so what it later serves can be
 * compared with what it learnt from ({@code monitoring.DriftCheck}): per numeric feature its
 * moments and a sorted sample of its values (every value when there are at most {@link
 * #SAMPLE_LIMIT}), per categorical feature its category counts, and the class counts.
 *
 * @param rows the training rows it describes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataProfile(
    long rows,
    Map<String, NumericProfile> numeric,
    Map<String, Map<String, Long>> categorical,
    Map<String, Long> classes) {

  /** The most values sampled per numeric feature. */
  public static final int SAMPLE_LIMIT = 1000;

  public DataProfile {
    numeric = numeric == null ? Map.of() : Map.copyOf(numeric);
    categorical = categorical == null ? Map.of() : Map.copyOf(categorical);
    classes = classes == null ? Map.of() : Map.copyOf(classes);
  }

  /**
   * One numeric feature.
   *
   * @param sample sorted; every value when {@code count <= sample.size()}, else a uniform sample
   */
  public record NumericProfile(
      long count, double mean, double std, double min, double max, List<Double> sample) {
    public NumericProfile {
      sample = sample == null ? List.of() : List.copyOf(sample);
    }

    /** Whether the sample is every training value. */
    public boolean complete() {
      return sample.size() >= count;
    }
  }
}
