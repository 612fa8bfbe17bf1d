package io.triad.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdTest {

  private static String idOf(Map<String, String> headers) {
    java.util.TreeMap<String, String> caseless =
        new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseless.putAll(headers);
    return RequestId.of(caseless::get);
  }

  @Test
  void of_should_keepTheCallersId_when_itIsUsable() {
    assertThat(idOf(Map.of("X-Request-Id", " abc-1.2:3/4+5=6_7 "))).isEqualTo("abc-1.2:3/4+5=6_7");
    // the caller's id wins over a trace
    assertThat(
            idOf(
                Map.of(
                    "x-request-id",
                    "mine",
                    "traceparent",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")))
        .isEqualTo("mine");
  }

  @Test
  void of_should_takeTheTraceId_when_thereIsAValidTraceparent() {
    assertThat(
            idOf(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    // a later version may carry more fields
    assertThat(
            idOf(
                Map.of("traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "garbage"
      })
  void of_should_makeAFreshId_when_theTraceparentIsInvalid(String traceparent) {
    assertThat(idOf(Map.of("traceparent", traceparent))).matches("[0-9a-f]{32}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "semi;colon", "<b>", "\u00e9t\u00e9"})
  void of_should_makeAFreshId_when_theCallersIdIsUnusable(String given) {
    assertThat(idOf(Map.of("x-request-id", given))).matches("[0-9a-f]{32}");
  }

  @Test
  void of_should_refuseAnOverlongId() {
    assertThat(idOf(Map.of("x-request-id", "a".repeat(128)))).isEqualTo("a".repeat(128));
    assertThat(idOf(Map.of("x-request-id", "a".repeat(129)))).matches("[0-9a-f]{32}");
  }

  @Test
  void fresh_should_differEachTime() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(RequestId.fresh());
    }
    assertThat(ids).hasSize(1000).allMatch(id -> id.matches("[0-9a-f]{32}"));
  }
}
