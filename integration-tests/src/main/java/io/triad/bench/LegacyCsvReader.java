package io.triad.bench;

import io.triad.functions.api.TriadError;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written CSV reader the functions used before Jackson's CSV parser replaced it (commit
 * 75e0cf1), kept only as {@link CsvBenchmark}'s baseline. A streaming RFC 4180 reader:
 * comma-separated, double-quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF
 * line ends; a UTF-8 byte order mark is skipped. Input that is not valid UTF-8 is an error naming
 * the line, never silently replaced characters.
 */
final class LegacyCsvReader implements AutoCloseable {
  private final Reader in;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;
  private long line = 1;
  private long recordLine;
  private boolean started;

  LegacyCsvReader(InputStream stream) {
    // the JDK's decoder, reporting malformed input as the replaced reader's strict decoder did
    this.in =
        new java.io.InputStreamReader(
            stream,
            java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT));
  }

  /** The line the last record returned started on (1-based). */
  public long recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at the end. Blank lines are skipped. */
  public List<String> next() {
    try {
      return read();
    } catch (CharacterCodingException e) {
      throw TriadError.unprocessable("line " + line + " is not valid UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> read() throws IOException {
    int c = nextChar();
    if (!started) {
      started = true;
      if (c == '\uFEFF') {
        c = nextChar();
      }
    }
    while (c == '\n' || c == '\r') {
      endLine(c);
      c = nextChar();
    }
    if (c < 0) {
      return null;
    }
    recordLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (!quoted && !wasQuoted && field.length() == 0 && c >= 0 && !isSpecial(c)) {
        int end = plainFieldEnd();
        if (end >= 0) {
          // the common case: an unquoted field wholly inside the buffer, taken without copying per
          // char
          fields.add(new String(buffer, position - 1, end - position + 1));
          position = end + 1;
          c = buffer[end];
          if (c == ',') {
            c = nextChar();
            continue;
          }
          endLine(c);
          return fields;
        }
      }
      if (quoted) {
        if (c < 0) {
          throw TriadError.unprocessable("line " + recordLine + ": a quoted field is never closed");
        }
        if (c == '"') {
          int after = nextChar();
          if (after == '"') {
            field.append('"');
          } else {
            quoted = false;
            c = after;
            continue;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == '\r' || c < 0) {
        fields.add(field.toString());
        if (c >= 0) {
          endLine(c);
        }
        return fields;
      } else if (wasQuoted) {
        throw TriadError.unprocessable("line " + recordLine + ": text after a closing quote");
      } else {
        field.append((char) c);
      }
      c = nextChar();
    }
  }

  private static boolean isSpecial(int c) {
    return c == ',' || c == '\n' || c == '\r' || c == '"';
  }

  /**
   * Where the plain field starting at the last character read ends (its delimiter), or -1 if not in
   * the buffer.
   */
  private int plainFieldEnd() {
    for (int p = position; p < limit; p++) {
      char ch = buffer[p];
      if (isSpecial(ch)) {
        return ch == '"' ? -1 : p;
      }
    }
    return -1;
  }

  /** Counts a line end; after CR, a following LF belongs to it. */
  private void endLine(int c) throws IOException {
    line++;
    if (c == '\r' && peekChar() == '\n') {
      position++;
    }
  }

  /**
   * The next character from our own buffer: a lock-free read per character matters at 10^6 rows.
   */
  private int nextChar() throws IOException {
    return position < limit || fill() ? buffer[position++] : -1;
  }

  private int peekChar() throws IOException {
    return position < limit || fill() ? buffer[position] : -1;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
