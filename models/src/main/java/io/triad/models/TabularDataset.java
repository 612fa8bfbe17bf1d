package io.triad.models;

import io.triad.functions.model.TrainingRows;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A CSV table read as features and a class label: numeric columns as they are, text columns one-hot
 * over their sorted vocabulary, the target column as an index into the sorted class labels.
 *
 * @param x the raw (unscaled) feature matrix, one row per table row
 * @param y the class index of each row
 */
public record TabularDataset(
    CsvTable table,
    String target,
    List<FeatureColumn> features,
    List<String> labels,
    float[][] x,
    int[] y) {

  /** One input column: numeric when {@code vocabulary} is null, else categorical. */
  public record FeatureColumn(String name, int column, List<String> vocabulary) {
    public boolean isCategorical() {
      return vocabulary != null;
    }

    public int width() {
      return isCategorical() ? vocabulary.size() : 1;
    }
  }

  /** Reads {@code table}; the target is {@code targetName}, or the last column when null. */
  public static TabularDataset of(CsvTable table, String targetName, String source) {
    List<String> header = table.header();
    String target = targetName == null ? header.get(header.size() - 1) : targetName;
    int targetColumn = header.indexOf(target);
    if (targetColumn < 0) {
      throw new TrainerException(
          source + ": target column '" + target + "' is not in the header " + header);
    }
    if (header.size() < 2) {
      throw new TrainerException(
          source + ": needs at least one feature column besides the target '" + target + "'");
    }
    List<FeatureColumn> features = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      if (c != targetColumn) {
        features.add(column(table, c, source));
      }
    }
    List<String> labels = List.copyOf(new TreeSet<>(values(table, targetColumn, source)));
    if (labels.size() < 2) {
      throw new TrainerException(
          source + ": target column '" + target + "' has only one class " + labels);
    }
    int width = features.stream().mapToInt(FeatureColumn::width).sum();
    float[][] x = new float[table.rows().size()][width];
    int[] y = new int[table.rows().size()];
    for (int r = 0; r < table.rows().size(); r++) {
      CsvTable.Row row = table.rows().get(r);
      int offset = 0;
      for (FeatureColumn feature : features) {
        String cell = row.cell(feature.column()).trim();
        if (feature.isCategorical()) {
          x[r][offset + feature.vocabulary().indexOf(cell)] = 1f;
        } else {
          x[r][offset] = (float) Double.parseDouble(cell);
        }
        offset += feature.width();
      }
      y[r] = labels.indexOf(row.cell(targetColumn).trim());
    }
    return new TabularDataset(table, target, List.copyOf(features), labels, x, y);
  }

  /** Each row's fingerprint: its features by name, as the evaluator computes it. */
  public long[] fingerprints() {
    List<String> names = features.stream().map(FeatureColumn::name).toList();
    long[] out = new long[table.rows().size()];
    for (int r = 0; r < out.length; r++) {
      CsvTable.Row row = table.rows().get(r);
      out[r] =
          TrainingRows.ofFeatures(
              names, name -> row.cell(features.get(names.indexOf(name)).column()));
    }
    return out;
  }

  public int width() {
    return x.length == 0 ? 0 : x[0].length;
  }

  public int size() {
    return y.length;
  }

  /**
   * A column is numeric when most of its values are finite numbers (then every value must be one),
   * categorical otherwise.
   */
  private static FeatureColumn column(CsvTable table, int c, String source) {
    String name = table.header().get(c);
    List<String> values = values(table, c, source);
    long numeric = values.stream().filter(TabularDataset::isNumber).count();
    if (numeric * 2 <= values.size()) {
      return new FeatureColumn(name, c, List.copyOf(new TreeSet<>(values)));
    }
    if (numeric < values.size()) {
      CsvTable.Row bad =
          table.rows().stream()
              .filter(row -> !isNumber(row.cell(c).trim()))
              .findFirst()
              .orElseThrow();
      throw new TrainerException(
          source
              + " line "
              + bad.line()
              + ": column '"
              + name
              + "' is numeric but holds '"
              + clip(bad.cell(c))
              + "'");
    }
    return new FeatureColumn(name, c, null);
  }

  private static List<String> values(CsvTable table, int c, String source) {
    List<String> values = new ArrayList<>(table.rows().size());
    for (CsvTable.Row row : table.rows()) {
      String cell = row.cell(c).trim();
      if (cell.isEmpty()) {
        throw new TrainerException(
            source
                + " line "
                + row.line()
                + ": column '"
                + table.header().get(c)
                + "' has no value");
      }
      values.add(cell);
    }
    return values;
  }

  private static boolean isNumber(String text) {
    try {
      return Double.isFinite(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String clip(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
