package io.triad.functions.tabular;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.TriadError;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  private static List<List<String>> readAll(byte[] bytes) {
    List<List<String>> records = new ArrayList<>();
    try (CsvReader reader = new CsvReader(new ByteArrayInputStream(bytes))) {
      for (List<String> r = reader.next(); r != null; r = reader.next()) {
        records.add(r);
      }
    }
    return records;
  }

  private static List<List<String>> readAll(String text) {
    return readAll(text.getBytes(UTF_8));
  }

  @Test
  void next_shouldKeepCommasQuotesAndNewlines_whenFieldsAreQuoted() {
    // given
    String csv = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n";

    // when
    List<List<String>> records = readAll(csv);

    // then
    assertThat(records)
        .containsExactly(List.of("a", "b", "c"), List.of("x, y", "say \"hi\"", "two\nlines"));
  }

  @Test
  void next_shouldTreatCrlfLikeLf_andSkipBlankLines() {
    // given
    String csv = "a,b\r\n\r\n1,2\r\n\n3,4";

    // when
    List<List<String>> records = readAll(csv);

    // then
    assertThat(records).containsExactly(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"));
  }

  @Test
  void next_shouldSkipByteOrderMark_whenFileStartsWithOne() {
    // given
    byte[] csv = "\uFEFFa,b\n1,2\n".getBytes(UTF_8);

    // when
    List<List<String>> records = readAll(csv);

    // then
    assertThat(records.get(0)).containsExactly("a", "b");
  }

  @Test
  void recordLine_shouldNameStartLine_whenEarlierFieldsSpanLines() {
    // given
    CsvReader reader =
        new CsvReader(new ByteArrayInputStream("a\n\"1\n2\"\n\nlast\n".getBytes(UTF_8)));

    // when
    reader.next();
    reader.next();
    reader.next();

    // then
    assertThat(reader.recordLine()).isEqualTo(5);
    reader.close();
  }

  @Test
  void next_shouldFailWith422NamingLine_whenBytesAreNotUtf8() {
    // given
    byte[] csv = {'a', '\n', 'b', '\n', 'c', (byte) 0xff, '\n'};

    // when / then
    assertThatThrownBy(() -> readAll(csv))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("line 3")
        .hasMessageContaining("UTF-8");
  }

  @Test
  void next_shouldFailWith422_whenQuoteIsNeverClosed() {
    // given
    String csv = "a,b\n1,\"open\n";

    // when / then
    assertThatThrownBy(() -> readAll(csv))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("line 2")
        .hasMessageContaining("never closed");
  }

  @Test
  void next_shouldFailWith422_whenTextFollowsClosingQuote() {
    // given
    String csv = "\"a\"b\n";

    // when / then
    assertThatThrownBy(() -> readAll(csv))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("after a closing quote");
  }

  @Test
  void csvWriter_shouldRoundTripThroughTheReader_whenFieldsNeedQuoting() {
    // given
    List<List<String>> rows =
        List.of(List.of("id", "text"), List.of("1", "a, \"quoted\"\nline"), List.of("2", ""));

    // when
    String csv = CsvWriter.format(rows);
    List<List<String>> read = new ArrayList<>();
    try (CsvReader reader = new CsvReader(new ByteArrayInputStream(csv.getBytes(UTF_8)))) {
      for (List<String> row = reader.next(); row != null; row = reader.next()) {
        read.add(row);
      }
    }

    // then
    assertThat(csv).startsWith("id,text\n1,\"a, \"\"quoted\"\"\nline\"\n");
    assertThat(read).isEqualTo(rows);
  }

  @Test
  void next_shouldFailWith422NamingNoJavaType_whenAFieldIsLongerThanTheLimit() {
    // given a second row whose field is one character over the parser's limit
    String csv = "a,b\n1," + "x".repeat(20_000_001) + "\n";

    // when / then
    assertThatThrownBy(() -> readAll(csv))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("line 2")
        .hasMessageContaining("longer than")
        .hasMessageNotContaining("StreamReadConstraints")
        .hasMessageNotContaining("`");
  }
}
