package io.triad.models;

import io.triad.functions.api.TriadError;
import io.triad.functions.tabular.CsvReader;
import io.triad.functions.tabular.CsvWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file as text cells: a header and rows of the same width (RFC 4180 quoting, blank lines
 * skipped), read and written with the functions' {@link CsvReader} and {@link CsvWriter}. Each row
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
    List<Row> records = new ArrayList<>();
    try (CsvReader reader =
        new CsvReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
      for (List<String> cells = reader.next(); cells != null; cells = reader.next()) {
        if (!(cells.size() == 1 && cells.get(0).isBlank())) {
          records.add(new Row((int) reader.recordLine(), cells));
        }
      }
    } catch (TriadError e) {
      throw new TrainerException(source + " " + e.getMessage());
    }
    if (records.isEmpty()) {
      throw new TrainerException("data file " + source + " is empty");
    }
    List<String> header = records.get(0).cells().stream().map(String::trim).toList();
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).isEmpty()) {
        throw new TrainerException(source + ": header column " + (i + 1) + " has no name");
      }
      if (header.indexOf(header.get(i)) != i) {
        throw new TrainerException(source + ": header names column '" + header.get(i) + "' twice");
      }
    }
    List<Row> rows = records.subList(1, records.size());
    for (Row row : rows) {
      if (row.cells().size() != header.size()) {
        throw new TrainerException(
            source
                + " line "
                + row.line()
                + ": "
                + row.cells().size()
                + " values, but the header has "
                + header.size()
                + " columns "
                + header);
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
