package io.triad.models;

import io.triad.functions.model.ModelManifest.Feature;
import java.util.ArrayList;
import java.util.List;

/**
 * Standardization of the input tensor, {@code (x - mean) / std} per column, in float arithmetic,
 * the same operations the exported graph runs (Sub then Div). One-hot columns keep mean 0 and std
 * 1.
 */
public record FeatureScaler(float[] mean, float[] std) {

  /**
   * Fits numeric columns on the {@code train} rows of {@code data}; a constant column gets std 1.
   */
  public static FeatureScaler fit(TabularDataset data, int[] train) {
    int width = data.width();
    float[] mean = new float[width];
    float[] std = new float[width];
    int offset = 0;
    for (TabularDataset.FeatureColumn feature : data.features()) {
      if (feature.isCategorical()) {
        for (int k = 0; k < feature.width(); k++) {
          std[offset + k] = 1f;
        }
      } else {
        double sum = 0;
        for (int r : train) {
          sum += data.x()[r][offset];
        }
        double m = sum / train.length;
        double squares = 0;
        for (int r : train) {
          double d = data.x()[r][offset] - m;
          squares += d * d;
        }
        double s = Math.sqrt(squares / train.length);
        mean[offset] = (float) m;
        std[offset] = s > 1e-6 ? (float) s : 1f;
      }
      offset += feature.width();
    }
    return new FeatureScaler(mean, std);
  }

  public float[][] scale(float[][] raw) {
    float[][] out = new float[raw.length][mean.length];
    for (int r = 0; r < raw.length; r++) {
      for (int c = 0; c < mean.length; c++) {
        out[r][c] = (raw[r][c] - mean[c]) / std[c];
      }
    }
    return out;
  }

  /** The manifest's feature list: numeric columns with the exact float mean/std of the graph. */
  public List<Feature> manifestFeatures(List<TabularDataset.FeatureColumn> columns) {
    List<Feature> features = new ArrayList<>();
    int offset = 0;
    for (TabularDataset.FeatureColumn column : columns) {
      features.add(
          column.isCategorical()
              ? Feature.categorical(column.name(), column.vocabulary())
              : Feature.numeric(column.name(), mean[offset], std[offset]));
      offset += column.width();
    }
    return features;
  }
}
