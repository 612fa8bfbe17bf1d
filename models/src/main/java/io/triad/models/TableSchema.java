package io.triad.models;

import io.triad.functions.model.TrainingRows;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What a table's columns are, learnt from one pass over its rows ({@link #scan}) without keeping
 * them: numeric columns as they are, text columns one-hot over their sorted vocabulary, the target
 * column's sorted class labels. A column is numeric when most of its values are finite numbers
 * (then every value must be one), categorical otherwise. {@link #encode} then turns a row into the
 * network's raw (unscaled) input.
 */
public final class TableSchema {
  /** More distinct values than this in a text column, or in the target, is refused. */
  static final int MAX_DISTINCT = 10_000;

  private final String source;
  private final String target;
  private final int targetColumn;
  private final List<FeatureColumn> features;
  private final List<String> labels;
  private final int width;

  private TableSchema(
      String source,
      String target,
      int targetColumn,
      List<FeatureColumn> features,
      List<String> labels) {
    this.source = source;
    this.target = target;
    this.targetColumn = targetColumn;
    this.features = List.copyOf(features);
    this.labels = List.copyOf(labels);
    this.width = features.stream().mapToInt(FeatureColumn::width).sum();
  }

  /**
   * Reads every row {@code rows} hands to its consumer once; the target is {@code targetName}, or
   * the last column when null.
   */
  public static TableSchema scan(
      List<String> header,
      String targetName,
      String source,
      Consumer<Consumer<CsvTable.Row>> rows) {
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
    ColumnScan[] columns = new ColumnScan[header.size()];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = new ColumnScan(header.get(c));
    }
    long[] count = {0};
    rows.accept(
        row -> {
          count[0]++;
          for (int c = 0; c < columns.length; c++) {
            String cell = row.cell(c).trim();
            if (cell.isEmpty()) {
              throw new TrainerException(
                  source + " line " + row.line() + ": column '" + header.get(c) + "' has no value");
            }
            columns[c].add(cell, row.line());
          }
        });
    if (count[0] == 0) {
      throw new TrainerException("data file " + source + " has a header but no rows");
    }
    List<FeatureColumn> features = new ArrayList<>();
    for (int c = 0; c < columns.length; c++) {
      if (c != targetColumn) {
        features.add(columns[c].feature(c, source));
      }
    }
    List<String> labels = columns[targetColumn].distinct(source, "target column");
    if (labels.size() < 2) {
      throw new TrainerException(
          source + ": target column '" + target + "' has only one class " + labels);
    }
    return new TableSchema(source, target, targetColumn, features, labels);
  }

  public String target() {
    return target;
  }

  public int targetColumn() {
    return targetColumn;
  }

  public List<FeatureColumn> features() {
    return features;
  }

  public List<String> labels() {
    return labels;
  }

  /** The input tensor's width: numeric columns one each, text columns their vocabulary's size. */
  public int width() {
    return width;
  }

  /** {@code row}'s raw input: numbers as read, text columns one-hot. */
  public float[] encode(CsvTable.Row row) {
    float[] x = new float[width];
    int offset = 0;
    for (FeatureColumn feature : features) {
      String cell = row.cell(feature.column()).trim();
      if (feature.isCategorical()) {
        int index = java.util.Collections.binarySearch(feature.vocabulary(), cell);
        if (index < 0) {
          throw changed(row, feature.name(), cell);
        }
        x[offset + index] = 1f;
      } else {
        try {
          x[offset] = (float) Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw changed(row, feature.name(), cell);
        }
      }
      offset += feature.width();
    }
    return x;
  }

  /** {@code row}'s class: its target value's index in {@link #labels()}. */
  public int label(CsvTable.Row row) {
    String cell = row.cell(targetColumn).trim();
    int index = java.util.Collections.binarySearch(labels, cell);
    if (index < 0) {
      throw changed(row, target, cell);
    }
    return index;
  }

  /** The row's fingerprint: its features by name, as the evaluator computes it. */
  public long fingerprint(CsvTable.Row row) {
    return TrainingRows.ofFeatures(
        features.stream().map(FeatureColumn::name).toList(), name -> row.cell(column(name)));
  }

  private int column(String name) {
    for (FeatureColumn feature : features) {
      if (feature.name().equals(name)) {
        return feature.column();
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** A value the first pass did not see: the object changed between the passes. */
  private TrainerException changed(CsvTable.Row row, String column, String cell) {
    return new TrainerException(
        source
            + " line "
            + row.line()
            + ": column '"
            + column
            + "' holds '"
            + clip(cell)
            + "', which the first read of the data did not hold: the object changed while it was"
            + " read");
  }

  /** What one pass learnt about one column. */
  private static final class ColumnScan {
    private final String name;
    private final TreeSet<String> distinct = new TreeSet<>();
    private boolean tooMany;
    private long values;
    private long numbers;
    private String firstText;
    private int firstTextLine;

    ColumnScan(String name) {
      this.name = name;
    }

    void add(String cell, int line) {
      values++;
      if (isNumber(cell)) {
        numbers++;
      } else if (firstText == null) {
        firstText = cell;
        firstTextLine = line;
      }
      if (!tooMany && distinct.add(cell) && distinct.size() > MAX_DISTINCT) {
        tooMany = true;
        distinct.clear();
      }
    }

    FeatureColumn feature(int column, String source) {
      if (numbers * 2 <= values) {
        return new FeatureColumn(name, column, distinct(source, "text column"));
      }
      if (numbers < values) {
        throw new TrainerException(
            source
                + " line "
                + firstTextLine
                + ": column '"
                + name
                + "' is numeric but holds '"
                + clip(firstText)
                + "'");
      }
      return new FeatureColumn(name, column, null);
    }

    List<String> distinct(String source, String what) {
      if (tooMany) {
        throw new TrainerException(
            source
                + ": "
                + what
                + " '"
                + name
                + "' has more than "
                + MAX_DISTINCT
                + " distinct values; a text column is one-hot encoded, and a target names classes");
      }
      return List.copyOf(distinct);
    }
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
