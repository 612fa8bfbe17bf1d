package io.triad.models;

import io.triad.functions.tabular.CsvWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file as text cells: a header and rows of the same width (RFC 4180 quoting, blank lines
 * skipped), read with {@link CsvRows} and written with the functions' {@link CsvWriter}. Each row
 * keeps the line it started on, so errors can point at the file.
 */
public record CsvTable(List<String> header, List<Row> rows) {

  public CsvTable {
    header = List.copyOf(header);
    rows = List.copyOf(rows);
  }

  /** One record and the 1-based line it starts on. */
  public record Row(int line, List<String> cells) {
    public Row {
      cells = List.copyOf(cells);
    }

    public String cell(int column) {
      return cells.get(column);
    }
  }

  /**
   * Parses {@code text} with the suite's one CSV reader; {@code source} names the file in error
   * messages.
   */
  public static CsvTable parse(String text, String source) {
    List<Row> rows = new ArrayList<>();
    List<String> header;
    try (CsvRows reader =
        new CsvRows(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), source)) {
      header = reader.header();
      for (Row row = reader.next(); row != null; row = reader.next()) {
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      throw new TrainerException("data file " + source + " has a header but no rows");
    }
    return new CsvTable(header, rows);
  }

  /** The header and {@code selected} rows as CSV text. */
  public String format(List<Row> selected) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(header);
    selected.forEach(row -> lines.add(row.cells()));
    return CsvWriter.format(lines);
  }
}
