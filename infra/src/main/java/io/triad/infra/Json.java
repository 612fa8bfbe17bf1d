package io.triad.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Renders policy documents, container properties and event patterns to the JSON strings the
 * providers take. Keys are sorted so the synthesized stacks are byte-for-byte repeatable (the
 * golden snapshots depend on it; {@code Map.of} iteration order changes from run to run).
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Json() {}

  public static String render(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not renderable as JSON: " + value, e);
    }
  }
}
