package io.triad.functions.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelManifest.Feature;
import io.triad.functions.model.ModelManifest.Preprocessing;
import java.util.List;

/**
 * Turns feature records into the model's input matrix as the manifest describes: features in
 * order, numeric values scaled (unless the graph scales them), categorical values one-hot over the
 * vocabulary. A missing, wrongly typed, non-finite or unknown value is a 422 that names the row and
 * the field.
 */
public final class TabularEncoder {
  private final List<Feature> features;
  private final boolean scaleHere;
  private final int width;

  public TabularEncoder(Preprocessing preprocessing) {
    if (preprocessing == null || !"tabular".equals(preprocessing.kind()) || preprocessing.features().isEmpty()) {
      throw TriadError.unprocessable("this model has no tabular preprocessing in its manifest; use the v2 infer endpoint with tensors");
    }
    this.features = preprocessing.features();
    this.scaleHere = !preprocessing.scaledInModel();
    this.width = features.stream().mapToInt(Feature::width).sum();
  }

  /** Columns of the encoded matrix. */
  public int width() {
    return width;
  }

  public List<Feature> features() {
    return features;
  }

  /**
   * Encodes rows into a row-major {@code [rows.size(), width()]} matrix.
   *
   * @param where how errors name a row: "instances" gives "instances[3].petal_width"
   * @param firstRow the number the first row is reported as (0 for JSON arrays, the line for CSV)
   * @param textValues true when numbers may arrive as text (CSV cells)
   */
  public float[] encode(List<JsonNode> rows, String where, long firstRow, boolean textValues) {
    float[] matrix = new float[Math.multiplyExact(rows.size(), width)];
    for (int r = 0; r < rows.size(); r++) {
      encodeRow(rows.get(r), matrix, r * width, where + "[" + (firstRow + r) + "]", textValues);
    }
    return matrix;
  }

  private void encodeRow(JsonNode row, float[] out, int offset, String at, boolean textValues) {
    if (row != null && row.isArray()) {
      encodePositional(row, out, offset, at);
      return;
    }
    if (row == null || !row.isObject()) {
      throw TriadError.unprocessable(at + " must be an object of named features");
    }
    int column = offset;
    for (Feature feature : features) {
      JsonNode value = row.get(feature.name());
      String field = at + "." + feature.name();
      if (value == null || value.isNull() || (textValues && value.isTextual() && value.asText().isEmpty())) {
        throw TriadError.unprocessable(field + " is missing");
      }
      if (feature.isCategorical()) {
        oneHot(feature, categoryOf(value, field), out, column, field);
      } else {
        out[column] = scale(feature, number(value, field, textValues));
      }
      column += feature.width();
    }
  }

  /** A positional row: only for all-numeric models, values in feature order. */
  private void encodePositional(JsonNode row, float[] out, int offset, String at) {
    if (width != features.size() || features.stream().anyMatch(Feature::isCategorical)) {
      throw TriadError.unprocessable(at + " is an array; this model has categorical features, send named fields");
    }
    if (row.size() != features.size()) {
      throw TriadError.unprocessable(at + " has " + row.size() + " values; the model needs " + features.size()
          + " (" + String.join(", ", features.stream().map(Feature::name).toList()) + ")");
    }
    for (int i = 0; i < features.size(); i++) {
      Feature feature = features.get(i);
      out[offset + i] = scale(feature, number(row.get(i), at + "." + feature.name(), false));
    }
  }

  private float scale(Feature feature, double value) {
    if (scaleHere && feature.mean() != null && feature.std() != null && feature.std() != 0) {
      return (float) ((value - feature.mean()) / feature.std());
    }
    return (float) value;
  }

  private static double number(JsonNode value, String field, boolean textValues) {
    double d;
    if (value.isNumber()) {
      d = value.doubleValue();
    } else if (textValues && value.isTextual()) {
      try {
        d = Double.parseDouble(value.asText().trim());
      } catch (NumberFormatException e) {
        throw TriadError.unprocessable(field + " must be a number, got '" + clip(value.asText()) + "'");
      }
    } else {
      throw TriadError.unprocessable(field + " must be a number, got " + describe(value));
    }
    if (!Double.isFinite(d)) {
      throw TriadError.unprocessable(field + " must be finite, got " + d);
    }
    if (Math.abs(d) > Float.MAX_VALUE) {
      // the model takes FP32: this would reach it as Infinity
      throw TriadError.unprocessable(field + " = " + d + " is outside the FP32 range");
    }
    return d;
  }

  private static String categoryOf(JsonNode value, String field) {
    if (value.isTextual() || value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw TriadError.unprocessable(field + " must be a category name, got " + describe(value));
  }

  private static void oneHot(Feature feature, String category, float[] out, int column, String field) {
    int index = feature.vocabulary().indexOf(category);
    if (index < 0) {
      throw TriadError.unprocessable(field + " = '" + clip(category) + "' is not one of " + feature.vocabulary());
    }
    out[column + index] = 1f;
  }

  private static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "the string '" + clip(value.asText()) + "'";
    }
    return value.getNodeType().name().toLowerCase();
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
