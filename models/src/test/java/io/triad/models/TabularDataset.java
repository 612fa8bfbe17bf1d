package io.triad.models;

import java.util.List;

/**
 * A whole table in memory, read with the trainer's {@link TableSchema}: the tests' way to rebuild
 * what the streamed trainer saw and check it against an in-memory run.
 *
 * @param x the raw (unscaled) feature matrix, one row per table row
 * @param y the class index of each row
 */
record TabularDataset(
    CsvTable table, TableSchema schema, List<FeatureColumn> features, float[][] x, int[] y) {

  /** Reads {@code table}; the target is {@code targetName}, or the last column when null. */
  static TabularDataset of(CsvTable table, String targetName, String source) {
    TableSchema schema =
        TableSchema.scan(table.header(), targetName, source, visit -> table.rows().forEach(visit));
    float[][] x = table.rows().stream().map(schema::encode).toArray(float[][]::new);
    int[] y = table.rows().stream().mapToInt(schema::label).toArray();
    return new TabularDataset(table, schema, schema.features(), x, y);
  }

  List<String> labels() {
    return schema.labels();
  }

  String target() {
    return schema.target();
  }

  long[] fingerprints() {
    return table.rows().stream().mapToLong(schema::fingerprint).toArray();
  }

  int width() {
    return schema.width();
  }

  int size() {
    return y.length;
  }

  /** The scaler the trainer fits on the {@code train} rows. */
  FeatureScaler scaler(int[] train) {
    return FeatureScaler.fit(
        features,
        width(),
        visit -> {
          for (int r : train) {
            visit.accept(x[r]);
          }
        });
  }
}
