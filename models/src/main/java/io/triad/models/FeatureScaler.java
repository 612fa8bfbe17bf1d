package io.triad.models;

import io.triad.functions.model.ModelManifest.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Standardization of the input tensor, {@code (x - mean) / std} per column, in float arithmetic,
 * the same operations the exported graph runs (Sub then Div). One-hot columns keep mean 0 and std
 * 1.
 */
public record FeatureScaler(float[] mean, float[] std) {

  /**
   * Fits the numeric columns of {@code features} on the rows {@code rows} hands out, in two passes
   * over them (mean, then spread), so the rows need not be in memory; a constant column gets std 1.
   *
   * @param rows hands every training row's raw input to its consumer, each time it is called
   */
  public static FeatureScaler fit(
      List<FeatureColumn> features, int width, Consumer<Consumer<float[]>> rows) {
    float[] mean = new float[width];
    float[] std = new float[width];
    double[] sums = new double[width];
    long[] count = {0};
    rows.accept(
        row -> {
          count[0]++;
          for (int c = 0; c < width; c++) {
            sums[c] += row[c];
          }
        });
    double[] means = new double[width];
    for (int c = 0; c < width; c++) {
      means[c] = sums[c] / count[0];
    }
    double[] squares = new double[width];
    rows.accept(
        row -> {
          for (int c = 0; c < width; c++) {
            double d = row[c] - means[c];
            squares[c] += d * d;
          }
        });
    int offset = 0;
    for (FeatureColumn feature : features) {
      if (feature.isCategorical()) {
        for (int k = 0; k < feature.width(); k++) {
          std[offset + k] = 1f;
        }
      } else {
        double s = Math.sqrt(squares[offset] / count[0]);
        mean[offset] = (float) means[offset];
        std[offset] = s > 1e-6 ? (float) s : 1f;
      }
      offset += feature.width();
    }
    return new FeatureScaler(mean, std);
  }

  /** Standardizes {@code rows} (rows of this scaler's width, one after another) in place. */
  public void scaleInPlace(float[] rows) {
    for (int i = 0; i < rows.length; i++) {
      int c = i % mean.length;
      rows[i] = (rows[i] - mean[c]) / std[c];
    }
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
  public List<Feature> manifestFeatures(List<FeatureColumn> columns) {
    List<Feature> features = new ArrayList<>();
    int offset = 0;
    for (FeatureColumn column : columns) {
      features.add(
          column.isCategorical()
              ? Feature.categorical(column.name(), column.vocabulary())
              : Feature.numeric(column.name(), mean[offset], std[offset]));
      offset += column.width();
    }
    return features;
  }
}
