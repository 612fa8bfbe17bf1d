package io.triad.gcp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.store.BlobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a fixture expects back: the HTTP {@code status}; optionally a {@code body} that the answer's
 * JSON must contain (every field given, equal; arrays element by element, same length); objects
 * that must {@code exist} in the bucket afterwards; prefixes under which nothing may exist ({@code
 * absent}); and a {@code log} line fragment.
 */
public record Expected(
    int status, JsonNode body, List<String> exist, List<String> absent, String log) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Expected of(JsonNode node) {
    return new Expected(
        node.path("status").asInt(200),
        node.get("body"),
        strings(node.path("exist")),
        strings(node.path("absent")),
        node.path("log").asText(null));
  }

  public void assertBody(String name, String actual) {
    if (body == null) {
      return;
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(actual);
    } catch (IOException e) {
      throw new AssertionError(name + ": the body is not JSON: " + actual, e);
    }
    contains(name + " body", body, answer);
  }

  public void assertStore(String name, BlobStore store) {
    exist.forEach(key -> assertThat(store.exists(key)).as("%s: %s exists", name, key).isTrue());
    absent.forEach(
        prefix ->
            assertThat(store.list(prefix)).as("%s: nothing under %s", name, prefix).isEmpty());
  }

  private static void contains(String where, JsonNode expected, JsonNode actual) {
    if (expected.isObject()) {
      assertThat(actual.isObject()).as("%s is an object: %s", where, actual).isTrue();
      for (Map.Entry<String, JsonNode> field : expected.properties()) {
        if (!actual.has(field.getKey())) {
          fail("%s has no '%s': %s", where, field.getKey(), actual);
        }
        contains(where + "." + field.getKey(), field.getValue(), actual.get(field.getKey()));
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as("%s length: %s", where, actual).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        contains(where + "[" + i + "]", expected.get(i), actual.get(i));
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      assertThat(actual.doubleValue())
          .as(where)
          .isCloseTo(expected.doubleValue(), org.assertj.core.data.Offset.offset(1e-6));
    } else {
      assertThat(actual).as(where).isEqualTo(expected);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
