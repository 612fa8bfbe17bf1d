package io.triad.functions.tabular;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSourceTest {
  private final ObjectMapper json = TriadJson.mapper();

  private List<RecordSource.Row> rows(String key, byte[] bytes) {
    List<RecordSource.Row> rows = new ArrayList<>();
    try (RecordSource source = RecordSource.open(key, new ByteArrayInputStream(bytes), json)) {
      for (RecordSource.Row row = source.next(); row != null; row = source.next()) {
        rows.add(row);
      }
    }
    return rows;
  }

  private List<RecordSource.Row> rows(String key, String text) {
    return rows(key, text.getBytes(UTF_8));
  }

  @Test
  void csv_shouldGiveNamedTextFields_whenHeaderPresent() {
    // given
    String csv = "\uFEFFid,name\r\n1,\"Smith, J\"\r\n\r\n2,\"multi\nline\"\r\n";

    // when
    List<RecordSource.Row> rows = rows("x.CSV", csv);

    // then
    assertThat(rows).extracting(RecordSource.Row::number).containsExactly(1L, 2L);
    assertThat(rows.get(0).text("name")).isEqualTo("Smith, J");
    assertThat(rows.get(1).value("id")).isInstanceOf(String.class);
    assertThat(rows.get(1).text("name")).isEqualTo("multi\nline");
  }

  @Test
  void json_shouldFailWith422_whenTheFirstBytesAreNoEncodingJacksonReads() {
    // given: bytes found by the fuzz test (integration-tests DecoderFuzzTest), read as UCS-4 "3412"
    byte[] bytes = {0x00, 0x7b, 0x00, 0x00, 0x00, 0x0a, 0x00};

    // when / then: a bad upload (set aside under failed/), not an I/O fault the runtime would retry
    assertThatThrownBy(
            () -> RecordSource.open("x.json", new ByteArrayInputStream(bytes), json).next())
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("encoding");
  }

  @Test
  void csv_shouldFailWith422NamingRow_whenFieldCountDiffers() {
    // given
    String csv = "a,b\n1,2\n3\n";

    // when / then
    assertThatThrownBy(() -> rows("x.csv", csv))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("row 2")
        .hasMessageContaining("line 3");
  }

  @Test
  void csv_shouldFailWith422_whenFileIsEmptyOrHeaderRepeatsColumn() {
    // when / then
    assertThatThrownBy(() -> rows("x.csv", ""))
        .isInstanceOf(TriadError.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> rows("x.csv", "a,a\n1,2\n"))
        .isInstanceOf(TriadError.class)
        .hasMessageContaining("repeated");
  }

  @Test
  void csv_shouldFailWith422NamingLine_whenBytesAreNotUtf8() {
    // given
    byte[] csv = {'a', '\n', '1', '\n', (byte) 0xc3, (byte) 0x28, '\n'};

    // when / then
    assertThatThrownBy(() -> rows("x.csv", csv))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("line 3");
  }

  @Test
  void jsonLines_shouldGiveObjectsNumberedByLine_whenBlankLinesBetween() {
    // given
    String jsonl = "{\"a\":1}\n\n{\"a\":2.5}\n";

    // when
    List<RecordSource.Row> rows = rows("x.jsonl", jsonl);

    // then
    assertThat(rows).extracting(RecordSource.Row::number).containsExactly(1L, 3L);
    assertThat(((com.fasterxml.jackson.databind.JsonNode) rows.get(1).value("a")).isNumber())
        .isTrue();
  }

  @Test
  void jsonLines_shouldReadLinesAcrossTheReadersBuffer_whenLinesAreLongOrEndInCrLf() {
    // given a line longer than the 64 Ki-character read buffer between CRLF lines, no final break
    String big = "x".repeat(100_000);
    String jsonl = "{\"a\":1}\r\n{\"a\":\"" + big + "\"}\r\n{\"a\":3}";

    // when
    List<RecordSource.Row> rows = rows("x.jsonl", jsonl);

    // then every line is whole, its number right
    assertThat(rows).extracting(RecordSource.Row::number).containsExactly(1L, 2L, 3L);
    assertThat(rows.get(1).value("a").toString()).hasSize(big.length() + 2);
  }

  @Test
  void jsonLines_shouldFailWith422NamingLine_whenLineIsNotAnObject() {
    // when / then
    assertThatThrownBy(() -> rows("x.ndjson", "{\"a\":1}\n[1,2]\n"))
        .isInstanceOf(TriadError.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> rows("x.jsonl", "{\"a\":1}\n{oops\n"))
        .isInstanceOf(TriadError.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void jsonLines_shouldFailWith422NamingLine_whenBytesAreNotUtf8() {
    // given
    byte[] jsonl = {'{', '}', '\n', '{', '}', '\n', '{', '"', (byte) 0xff, '"', '}', '\n'};

    // when / then
    assertThatThrownBy(() -> rows("x.jsonl", jsonl))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("line 3");
  }

  @Test
  void jsonArray_shouldReadObjects_whenBareArrayOrInstancesWrapper() {
    // when
    List<RecordSource.Row> bare = rows("x.json", "[{\"a\":1},{\"a\":2}]");
    List<RecordSource.Row> wrapped =
        rows("x.json", "{\"instances\": [{\"a\":1},{\"a\":2},{\"a\":3}]}");

    // then
    assertThat(bare).extracting(r -> r.text("a")).containsExactly("1", "2");
    assertThat(wrapped).extracting(RecordSource.Row::number).containsExactly(1L, 2L, 3L);
  }

  @Test
  void jsonArray_shouldFailWith422_whenShapeIsWrong() {
    // when / then
    assertThatThrownBy(() -> rows("x.json", "{\"rows\": []}"))
        .isInstanceOf(TriadError.class)
        .hasMessageContaining("array of objects");
    assertThatThrownBy(() -> rows("x.json", "[{\"a\":1}, 5]"))
        .isInstanceOf(TriadError.class)
        .hasMessageContaining("row 2");
    assertThatThrownBy(() -> rows("x.json", ""))
        .isInstanceOf(TriadError.class)
        .hasMessageContaining("empty");
  }

  @Test
  void open_shouldFailWith422_whenExtensionUnsupported() {
    // when / then
    assertThat(RecordSource.supports("a/b.parquet")).isFalse();
    assertThatThrownBy(() -> rows("a/b.parquet", "x"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(422));
  }
}
