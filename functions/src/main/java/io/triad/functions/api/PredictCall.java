package io.triad.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The input of {@code preprocess}: raw instances (feature records, or positional arrays) for a
 * model.
 *
 * @param origin how errors name a row, and whether values arrive as text
 */
public record PredictCall(
    String model, String version, List<JsonNode> instances, RowOrigin origin) {
  public PredictCall {
    origin = origin == null ? RowOrigin.REQUEST : origin;
  }

  public static PredictCall json(String model, String version, List<JsonNode> instances) {
    return new PredictCall(model, version, instances, RowOrigin.REQUEST);
  }

  /**
   * Where rows come from: errors read {@code label[first + i].field}; {@code textValues} allows
   * numbers written as text (CSV cells), which JSON callers must send as numbers.
   */
  public record RowOrigin(String label, long first, boolean textValues) {
    public static final RowOrigin REQUEST = new RowOrigin("instances", 0, false);

    public static RowOrigin upload(long firstRow, boolean textValues) {
      return new RowOrigin("row", firstRow, textValues);
    }
  }
}
