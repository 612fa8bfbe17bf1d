package io.triad.functions.tabular;

import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes rows as RFC 4180 CSV with Jackson's generator, the writer beside {@link CsvReader}: a
 * field is quoted when it holds a comma, a quote or a line break, quotes doubled; lines end with
 * LF.
 */
public final class CsvWriter implements AutoCloseable {
  private static final CsvFactory CSV = new CsvFactory();

  private final CsvGenerator generator;

  public CsvWriter(Writer out) {
    try {
      this.generator = CSV.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code rows} as CSV text. */
  public static String format(List<List<String>> rows) {
    StringWriter out = new StringWriter();
    try (CsvWriter writer = new CsvWriter(out)) {
      rows.forEach(writer::write);
    }
    return out.toString();
  }

  public void write(List<String> fields) {
    try {
      generator.writeStartArray();
      for (String field : fields) {
        generator.writeString(field);
      }
      generator.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      generator.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
