package io.triad.functions.internal.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.image.RowImages;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.BlobStore;
import io.triad.functions.tabular.CsvWriter;
import io.triad.functions.tabular.RecordSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows candidate and served version are judged on: the evaluation data less every row the
 * served version trained on, so neither version has seen any of them. When rows are dropped, the
 * rest are written beside the candidate ({@value #FILE}), so the decision names the exact rows.
 *
 * @param dataKey what both are evaluated on
 * @param rows rows in the evaluation data, -1 when not counted
 * @param seenByServed of those, rows the served version trained on, -1 when unknown
 * @param note what the decision file says about it
 */
record GateRows(String dataKey, long rows, long seenByServed, String note) {
  static final String FILE = "gate-rows.csv";

  /**
   * @param served the served version's training rows, null when it kept no record
   */
  static GateRows choose(
      BlobStore store,
      ObjectMapper json,
      ModelManifest manifest,
      String data,
      String candidateDir,
      TrainingRows served) {
    if (served == null) {
      return new GateRows(
          data, -1, -1, "the served version kept no record of its training rows; all rows used");
    }
    if (!data.endsWith(".csv")) {
      return new GateRows(
          data, -1, -1, "only CSV evaluation data can be checked against training rows");
    }
    boolean pictures = manifest.preprocessing() != null && manifest.preprocessing().isImage();
    RowImages images = pictures ? new RowImages(store, data) : null;
    StringWriter kept = new StringWriter();
    long rows = 0;
    long seen = 0;
    try (InputStream in = store.open(data);
        RecordSource source = RecordSource.open(data, in, json);
        CsvWriter out = new CsvWriter(kept)) {
      List<String> columns = source.columns();
      out.write(columns);
      for (RecordSource.Row row = source.next(); row != null; row = source.next()) {
        rows++;
        if (served.contains(TrainingRows.ofRow(manifest, row, images))) {
          seen++;
        } else {
          List<String> cells = new ArrayList<>(columns.size());
          for (String column : columns) {
            String text = row.text(column);
            cells.add(text == null ? "" : text);
          }
          out.write(cells);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + data, e);
    }
    if (seen == 0) {
      return new GateRows(
          data, rows, 0, "none of the " + rows + " rows was in the served version's training data");
    }
    if (seen == rows) {
      return new GateRows(
          data,
          rows,
          seen,
          "every one of the "
              + rows
              + " rows was in the served version's training data: no fair comparison is possible,"
              + " the candidate is judged on its own");
    }
    String key = candidateDir + FILE;
    store.put(key, kept.toString().getBytes(StandardCharsets.UTF_8));
    return new GateRows(
        key,
        rows,
        seen,
        seen
            + " of the "
            + rows
            + " rows were in the served version's training data; both are judged on the other "
            + (rows - seen)
            + " ("
            + key
            + ")");
  }

  /** Whether the served version can be compared at all. */
  boolean comparable() {
    return seenByServed < 0 || seenByServed < rows;
  }
}
