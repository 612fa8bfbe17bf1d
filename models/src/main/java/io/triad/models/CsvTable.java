package io.triad.models;

import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file as text cells: a header and rows of the same width (RFC 4180 quoting, blank lines
 * skipped). Each row keeps the line it started on, so errors can point at the file.
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

  /** Parses {@code text}; {@code source} names the file in error messages. */
  public static CsvTable parse(String text, String source) {
    List<Row> records = new Parser(text.startsWith("\uFEFF") ? text.substring(1) : text, source).records();
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
        throw new TrainerException(source + " line " + row.line() + ": " + row.cells().size()
            + " values, but the header has " + header.size() + " columns " + header);
      }
    }
    if (rows.isEmpty()) {
      throw new TrainerException("data file " + source + " has a header but no rows");
    }
    return new CsvTable(header, rows);
  }

  /** The header and {@code selected} rows as CSV text. */
  public String format(List<Row> selected) {
    StringBuilder out = new StringBuilder();
    appendLine(out, header);
    selected.forEach(row -> appendLine(out, row.cells()));
    return out.toString();
  }

  private static void appendLine(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String cell = cells.get(i);
      if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
        out.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        out.append(cell);
      }
    }
    out.append('\n');
  }

  /** A single pass over the text; state is local to one parse. */
  private static final class Parser {
    private final String text;
    private final String source;
    private final List<Row> records = new ArrayList<>();
    private int pos;
    private int line = 1;

    Parser(String text, String source) {
      this.text = text;
      this.source = source;
    }

    List<Row> records() {
      while (pos < text.length()) {
        int start = line;
        List<String> cells = record();
        if (!(cells.size() == 1 && cells.get(0).isBlank())) {
          records.add(new Row(start, cells));
        }
      }
      return records;
    }

    private List<String> record() {
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (quoted) {
          if (c == '"' && pos < text.length() && text.charAt(pos) == '"') {
            cell.append('"');
            pos++;
          } else if (c == '"') {
            quoted = false;
          } else {
            if (c == '\n') {
              line++;
            }
            cell.append(c);
          }
        } else if (c == '"' && cell.length() == 0) {
          quoted = true;
        } else if (c == ',') {
          cells.add(cell.toString());
          cell.setLength(0);
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && pos < text.length() && text.charAt(pos) == '\n') {
            pos++;
          }
          line++;
          break;
        } else {
          cell.append(c);
        }
      }
      if (quoted) {
        throw new TrainerException(source + ": a quoted value opened before line " + line + " never closes");
      }
      cells.add(cell.toString());
      return cells;
    }
  }
}
