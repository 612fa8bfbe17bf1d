package io.triad.functions.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelManifest.Feature;
import io.triad.functions.model.ModelManifest.Preprocessing;
import java.util.List;
import java.util.Map;

/**
 * Turns feature records into the model's input matrix as the manifest describes: features in order,
 * numeric values scaled (unless the graph scales them), categorical values one-hot over the
 * vocabulary. A missing, wrongly typed, non-finite or unknown value is a 422 that names the row and
 * the field. Records are JSON objects (requests, JSON uploads) or CSV cells; positional JSON arrays
 * are accepted for all-numeric models.
 */
final class TabularEncoder {
  private final List<Feature> features;
  private final boolean scaleHere;
  private final int width;

  public TabularEncoder(Preprocessing preprocessing) {
    if (preprocessing == null
        || !"tabular".equals(preprocessing.kind())
        || preprocessing.features().isEmpty()) {
      throw TriadError.unprocessable(
          "this model has no tabular preprocessing in its manifest; use the v2 infer endpoint with tensors");
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
   * Encodes JSON records into a row-major {@code [rows.size(), width()]} matrix.
   *
   * @param where how errors name a row: "instances" gives "instances[3].petal_width"
   * @param firstRow the number the first row is reported as
   * @param textValues true when numbers may arrive as text
   */
  public float[] encode(List<JsonNode> rows, String where, long firstRow, boolean textValues) {
    float[] matrix = new float[Math.multiplyExact(rows.size(), width)];
    for (int r = 0; r < rows.size(); r++) {
      JsonNode row = rows.get(r);
      long number = firstRow + r;
      if (row != null && row.isArray()) {
        encodePositional(row, matrix, r * width, where, number);
      } else if (row != null && row.isObject()) {
        encodeRow((i, name) -> row.get(name), matrix, r * width, where, number, textValues);
      } else {
        throw TriadError.unprocessable(
            where + "[" + number + "] must be an object of named features");
      }
    }
    return matrix;
  }

  /** Encodes rows of an upload; errors name each row by its number in the file ("row[12]"). */
  public float[] encode(List<RecordSource.Row> rows, boolean textValues) {
    float[] matrix = new float[Math.multiplyExact(rows.size(), width)];
    Map<String, Integer> columns = rows.isEmpty() ? null : rows.get(0).columns();
    int[] positions = columns == null ? null : positions(columns);
    for (int r = 0; r < rows.size(); r++) {
      RecordSource.Row row = rows.get(r);
      Fields fields =
          row.columns() == columns && positions != null
              ? (i, name) -> positions[i] < 0 ? null : row.cells()[positions[i]]
              : (i, name) -> row.value(name);
      encodeRow(fields, matrix, r * width, "row", row.number(), textValues);
    }
    return matrix;
  }

  /** Each feature's CSV column, or -1 where the header lacks it; looked up once per batch. */
  private int[] positions(Map<String, Integer> columns) {
    int[] positions = new int[features.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = columns.getOrDefault(features.get(i).name(), -1);
    }
    return positions;
  }

  /**
   * Feature {@code i} (named {@code name}) of one record: a JsonNode, a String (a CSV cell), or
   * null.
   */
  private interface Fields {
    Object get(int i, String name);
  }

  private void encodeRow(
      Fields row, float[] out, int offset, String where, long number, boolean textValues) {
    int column = offset;
    for (int i = 0; i < features.size(); i++) {
      Feature feature = features.get(i);
      Object value = row.get(i, feature.name());
      if (isMissing(value)) {
        throw TriadError.unprocessable(field(where, number, feature) + " is missing");
      }
      if (feature.isCategorical()) {
        oneHot(feature, categoryOf(value, where, number, feature), out, column, where, number);
      } else {
        out[column] = scale(feature, number(value, where, number, feature, textValues));
      }
      column += feature.width();
    }
  }

  /** A positional row: only for all-numeric models, values in feature order. */
  private void encodePositional(JsonNode row, float[] out, int offset, String where, long number) {
    String at = where + "[" + number + "]";
    if (width != features.size() || features.stream().anyMatch(Feature::isCategorical)) {
      throw TriadError.unprocessable(
          at + " is an array; this model has categorical features, send named fields");
    }
    if (row.size() != features.size()) {
      throw TriadError.unprocessable(
          at
              + " has "
              + row.size()
              + " values; the model needs "
              + features.size()
              + " ("
              + String.join(", ", features.stream().map(Feature::name).toList())
              + ")");
    }
    for (int i = 0; i < features.size(); i++) {
      Feature feature = features.get(i);
      JsonNode value = row.get(i);
      if (isMissing(value)) {
        throw TriadError.unprocessable(field(where, number, feature) + " is missing");
      }
      out[offset + i] = scale(feature, number(value, where, number, feature, false));
    }
  }

  private float scale(Feature feature, double value) {
    if (scaleHere && feature.mean() != null && feature.std() != null && feature.std() != 0) {
      return (float) ((value - feature.mean()) / feature.std());
    }
    return (float) value;
  }

  private static boolean isMissing(Object value) {
    return value == null
        || (value instanceof JsonNode node && node.isNull())
        || (value instanceof String text && text.isEmpty());
  }

  private static double number(
      Object value, String where, long row, Feature feature, boolean textValues) {
    double d;
    if (value instanceof JsonNode node && node.isNumber()) {
      d = node.doubleValue();
    } else if (textValues && text(value) != null) {
      String text = text(value);
      try {
        d = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw TriadError.unprocessable(
            field(where, row, feature) + " must be a number, got '" + clip(text.trim()) + "'");
      }
    } else {
      throw TriadError.unprocessable(
          field(where, row, feature) + " must be a number, got " + describe(value));
    }
    if (!Double.isFinite(d)) {
      throw TriadError.unprocessable(field(where, row, feature) + " must be finite, got " + d);
    }
    if (Math.abs(d) > Float.MAX_VALUE) {
      // the model takes FP32: this would reach it as Infinity
      throw TriadError.unprocessable(
          field(where, row, feature) + " = " + d + " is outside the FP32 range");
    }
    return d;
  }

  private static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    return value instanceof JsonNode node && node.isTextual() ? node.asText() : null;
  }

  private static String categoryOf(Object value, String where, long row, Feature feature) {
    if (value instanceof String s) {
      return s;
    }
    JsonNode node = (JsonNode) value;
    if (node.isTextual() || node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    throw TriadError.unprocessable(
        field(where, row, feature) + " must be a category name, got " + describe(value));
  }

  private static void oneHot(
      Feature feature, String category, float[] out, int column, String where, long row) {
    int index = feature.vocabulary().indexOf(category);
    if (index < 0) {
      throw TriadError.unprocessable(
          field(where, row, feature)
              + " = '"
              + clip(category)
              + "' is not one of "
              + feature.vocabulary());
    }
    out[column + index] = 1f;
  }

  /** The name errors use for a field, built only when there is an error to report. */
  private static String field(String where, long row, Feature feature) {
    return where + "[" + row + "]." + feature.name();
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "the string '" + clip(s) + "'";
    }
    JsonNode node = (JsonNode) value;
    if (node.isTextual()) {
      return "the string '" + clip(node.asText()) + "'";
    }
    return node.getNodeType().name().toLowerCase();
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
