package io.triad.functions.tabular;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.triad.functions.api.TriadError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader on Jackson's CSV parser, the one CSV reader of the suite (uploads,
 * evaluation data, the trainer's data): comma-separated, double-quoted fields may hold commas,
 * quotes ("") and line breaks; CRLF or LF line ends; blank lines and a UTF-8 byte order mark are
 * skipped. Input that is not valid UTF-8 is an error naming the line, never silently replaced
 * characters; malformed quoting is a 422 naming the line.
 */
public final class CsvReader implements AutoCloseable {
  private static final CsvFactory CSV =
      CsvFactory.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private final StrictUtf8Reader text;
  private final CsvParser parser;
  private long recordLine;

  public CsvReader(InputStream stream) {
    this.text = new StrictUtf8Reader(stream);
    try {
      this.parser = CSV.createParser(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The line the last record returned started on (1-based). */
  public long recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at the end. Blank lines are skipped. */
  public List<String> next() {
    boolean inRecord = false;
    try {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      List<String> fields = new ArrayList<>();
      for (JsonToken token = parser.nextToken();
          token == JsonToken.VALUE_STRING;
          token = parser.nextToken()) {
        String field = parser.getText();
        if (!inRecord) {
          // the first value's location is the record's first line (the array's lags behind)
          recordLine = parser.currentTokenLocation().getLineNr();
          inRecord = true;
          if (recordLine == 1 && !field.isEmpty() && field.charAt(0) == BYTE_ORDER_MARK) {
            field = field.substring(1);
          }
        }
        fields.add(field);
      }
      return fields;
    } catch (CharacterCodingException e) {
      // the reader hands out every character before a bad byte first, so the parser stands on its
      // line
      throw TriadError.unprocessable(
          "line " + parser.currentLocation().getLineNr() + " is not valid UTF-8 text");
    } catch (StreamConstraintsException e) {
      throw TriadError.unprocessable(
          "line "
              + (inRecord ? recordLine : parser.currentLocation().getLineNr())
              + ": a field is longer than the "
              + StreamReadConstraints.DEFAULT_MAX_STRING_LEN
              + " characters allowed");
    } catch (JsonProcessingException e) {
      long line = inRecord ? recordLine : parser.currentLocation().getLineNr();
      throw TriadError.unprocessable("line " + line + ": " + describe(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      parser.close();
      text.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The parser's own words for the two mistakes people make, plainly; anything else as it says it.
   */
  private static String describe(String message) {
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("missing closing quote")) {
      return "a quoted field is never closed";
    }
    if (lower.contains("expected column separator") || lower.contains("expected separator")) {
      return "text after a closing quote (quote the whole field, doubling quotes inside it)";
    }
    // the parser's other messages are plain, but never let one name a Java type or setting
    return message.contains("`") || message.contains("java.") || message.contains("Exception")
        ? "the text is not CSV that can be read"
        : message;
  }
}
