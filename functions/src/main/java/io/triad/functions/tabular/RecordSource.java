package io.triad.functions.tabular;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.JsonProblems;
import io.triad.functions.api.TriadError;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows of an uploaded file, read one at a time so memory stays bounded: CSV with a header, JSON
 * Lines (one object per line), or a JSON array of objects. Each row carries its number for errors:
 * the data row (1-based) for CSV and arrays, the line for JSON Lines.
 */
public abstract class RecordSource implements AutoCloseable {

  /** One row and its number: a JSON object, or CSV cells with the header's column positions. */
  public record Row(long number, JsonNode json, String[] cells, Map<String, Integer> columns) {
    public static Row of(long number, JsonNode json) {
      return new Row(number, json, null, null);
    }

    /** A field: a JsonNode for JSON rows, a String for CSV rows, null when the row lacks it. */
    public Object value(String name) {
      if (json != null) {
        return json.get(name);
      }
      Integer column = columns.get(name);
      return column == null ? null : cells[column];
    }

    /** A field as text (numbers and booleans as JSON writes them), or null when absent or null. */
    public String text(String name) {
      Object value = value(name);
      if (value instanceof JsonNode node) {
        return node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
      }
      return (String) value;
    }
  }

  /** The next row, or null at the end. */
  public abstract Row next();

  /** Whether values arrive as text and numbers may be parsed from it. */
  public abstract boolean textValues();

  /** Column names when the format declares them up front (CSV), else empty. */
  public List<String> columns() {
    return List.of();
  }

  @Override
  public abstract void close();

  /** Whether {@code key} names a tabular file this reader understands. */
  public static boolean supports(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.endsWith(".csv")
        || k.endsWith(".jsonl")
        || k.endsWith(".ndjson")
        || k.endsWith(".json");
  }

  public static RecordSource open(String key, InputStream in, ObjectMapper json) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.endsWith(".csv")) {
      return new Csv(in);
    }
    if (k.endsWith(".jsonl") || k.endsWith(".ndjson")) {
      return new JsonLines(in, json);
    }
    if (k.endsWith(".json")) {
      return new JsonArray(in, json);
    }
    throw TriadError.unprocessable(
        "unsupported file type: " + key + " (use .csv, .jsonl or .json)");
  }

  private static final class Csv extends RecordSource {
    private final CsvReader reader;
    private final List<String> header;
    private final Map<String, Integer> columns = new HashMap<>();
    private long number;

    Csv(InputStream in) {
      reader = new CsvReader(in);
      List<String> first = reader.next();
      if (first == null) {
        throw TriadError.unprocessable("the file is empty");
      }
      header = first.stream().map(String::trim).toList();
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i).isEmpty() || header.indexOf(header.get(i)) != i) {
          throw TriadError.unprocessable(
              "line 1: the header has an empty or repeated column name at column " + (i + 1));
        }
        columns.put(header.get(i), i);
      }
    }

    @Override
    public Row next() {
      List<String> cells = reader.next();
      if (cells == null) {
        return null;
      }
      number++;
      if (cells.size() != header.size()) {
        throw TriadError.unprocessable(
            "row "
                + number
                + " (line "
                + reader.recordLine()
                + ") has "
                + cells.size()
                + " fields; the header has "
                + header.size());
      }
      return new Row(number, null, cells.toArray(String[]::new), columns);
    }

    @Override
    public boolean textValues() {
      return true;
    }

    @Override
    public List<String> columns() {
      return header;
    }

    @Override
    public void close() {
      reader.close();
    }
  }

  /** JSON rows: values keep their JSON types; closing closes the underlying reader or parser. */
  private abstract static class JsonRows extends RecordSource {
    private final Closeable resource;

    JsonRows(Closeable resource) {
      this.resource = resource;
    }

    @Override
    public boolean textValues() {
      return false;
    }

    @Override
    public void close() {
      try {
        resource.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The longest JSON line read: one record's features, never a whole file without newlines. */
  static final int MAX_LINE_CHARS = 1 << 20;

  /**
   * Lines from a reader, scanned a buffer at a time (no per-character lock, as {@code
   * BufferedReader.read()} takes); a line longer than {@link #MAX_LINE_CHARS} is refused before it
   * is held in memory.
   */
  static final class BoundedLines implements Closeable {
    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;

    BoundedLines(Reader in) {
      this.in = in;
    }

    /** Line {@code number} without its terminator, or null at the end. */
    String next(long number) throws IOException {
      StringBuilder text = null;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return text == null ? null : strip(text);
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        int length = (text == null ? 0 : text.length()) + position - start;
        if (length > MAX_LINE_CHARS) {
          throw TriadError.unprocessable(
              "line "
                  + number
                  + " is longer than "
                  + MAX_LINE_CHARS
                  + " characters; one line holds one record");
        }
        text = text == null ? new StringBuilder(Math.max(16, length)) : text;
        text.append(buffer, start, position - start);
        if (position < limit) {
          position++; // the newline
          return strip(text);
        }
      }
    }

    private static String strip(StringBuilder text) {
      int end = text.length();
      return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static final class JsonLines extends JsonRows {
    private final BoundedLines reader;
    private final ObjectMapper json;
    private long line;

    JsonLines(InputStream in, ObjectMapper json) {
      this(new BoundedLines(new StrictUtf8Reader(in)), json);
    }

    private JsonLines(BoundedLines reader, ObjectMapper json) {
      super(reader);
      this.reader = reader;
      this.json = json;
    }

    @Override
    public Row next() {
      try {
        String text;
        do {
          text = reader.next(line + 1);
          line++;
          if (text == null) {
            return null;
          }
        } while (text.isBlank());
        JsonNode node;
        try {
          node = json.readTree(text);
        } catch (JsonProcessingException e) {
          throw TriadError.unprocessable("line " + line + " is not valid JSON");
        }
        if (!node.isObject()) {
          throw TriadError.unprocessable(
              "line " + line + " must be a JSON object of named features");
        }
        return Row.of(line, node);
      } catch (CharacterCodingException e) {
        // readLine failed before counting the line it was reading
        throw TriadError.unprocessable("line " + (line + 1) + " is not valid UTF-8 text");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** {@code [ {...}, {...} ]} or {@code {"instances": [...]}}, streamed element by element. */
  private static final class JsonArray extends JsonRows {
    private final JsonParser parser;
    private long number;

    JsonArray(InputStream in, ObjectMapper json) {
      this(parser(in, json));
    }

    private JsonArray(JsonParser parser) {
      super(parser);
      this.parser = parser;
      try {
        JsonToken first = parser.nextToken();
        if (first == null) {
          throw TriadError.unprocessable("the file is empty");
        }
        if (first == JsonToken.START_OBJECT) {
          if (parser.nextToken() != JsonToken.FIELD_NAME
              || !"instances".equals(parser.currentName())
              || parser.nextToken() != JsonToken.START_ARRAY) {
            throw TriadError.unprocessable(
                "a .json upload must be an array of objects or {\"instances\": [...]}");
          }
        } else if (first != JsonToken.START_ARRAY) {
          throw TriadError.unprocessable(
              "a .json upload must be an array of objects or {\"instances\": [...]}");
        }
      } catch (IOException e) {
        throw TriadError.unprocessable(
            e instanceof JsonProcessingException problem
                ? "the file is not valid JSON: " + JsonProblems.describe(problem)
                : "the file is not valid JSON");
      }
    }

    private static JsonParser parser(InputStream in, ObjectMapper json) {
      try {
        return json.createParser(in);
      } catch (java.io.CharConversionException e) {
        // Jackson guesses the encoding from the first bytes: bad input, not a storage fault to
        // retry
        throw TriadError.unprocessable(
            "the file is not JSON text in a supported encoding: " + e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Row next() {
      try {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY || token == null) {
          return null;
        }
        number++;
        if (token != JsonToken.START_OBJECT) {
          throw TriadError.unprocessable(
              "row " + number + " must be a JSON object of named features");
        }
        return Row.of(number, parser.readValueAsTree());
      } catch (IOException e) {
        throw TriadError.unprocessable("row " + (number + 1) + " is not valid JSON");
      }
    }
  }
}
