package io.triad.models;

import io.triad.functions.api.TriadError;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.tabular.CsvReader;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A CSV data set read one row at a time with the functions' {@link CsvReader}, so a file larger
 * than memory can be read: the header is checked when it is opened (named, no name twice), every
 * row must have the header's width, blank lines are skipped, and each row keeps the line it started
 * on for error messages.
 */
final class CsvRows implements AutoCloseable {
  private final CsvReader reader;
  private final String source;
  private final List<String> header;
  private long rows;

  CsvRows(InputStream in, String source) {
    this.reader = new CsvReader(in);
    this.source = source;
    List<String> first = nextRecord();
    if (first == null) {
      close();
      throw new TrainerException("data file " + source + " is empty");
    }
    this.header = first.stream().map(String::trim).toList();
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).isEmpty()) {
        close();
        throw new TrainerException(source + ": header column " + (i + 1) + " has no name");
      }
      if (header.indexOf(header.get(i)) != i) {
        close();
        throw new TrainerException(source + ": header names column '" + header.get(i) + "' twice");
      }
    }
  }

  /** Opens {@code key} in {@code store}; the object is read as the rows are asked for. */
  static CsvRows open(BlobStore store, String key) {
    InputStream in;
    try {
      in = store.open(key);
    } catch (NoSuchObjectException e) {
      throw new TrainerException("no data object '" + key + "' in " + store.uri());
    }
    return new CsvRows(in, key);
  }

  List<String> header() {
    return header;
  }

  String source() {
    return source;
  }

  /** The next row, or null at the end. */
  CsvTable.Row next() {
    List<String> cells = nextRecord();
    if (cells == null) {
      return null;
    }
    CsvTable.Row row = new CsvTable.Row((int) reader.recordLine(), cells);
    if (cells.size() != header.size()) {
      throw new TrainerException(
          source
              + " line "
              + row.line()
              + ": "
              + cells.size()
              + " values, but the header has "
              + header.size()
              + " columns "
              + header);
    }
    rows++;
    return row;
  }

  /** Rows read so far. */
  long rows() {
    return rows;
  }

  private List<String> nextRecord() {
    try {
      for (List<String> cells = reader.next(); cells != null; cells = reader.next()) {
        if (!(cells.size() == 1 && cells.get(0).isBlank())) {
          return cells;
        }
      }
      return null;
    } catch (TriadError e) {
      throw new TrainerException(source + " " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("reading " + source, e.getCause());
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
