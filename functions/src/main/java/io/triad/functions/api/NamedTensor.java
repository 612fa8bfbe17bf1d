package io.triad.functions.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A tensor as the Open Inference Protocol writes it: request inputs and response outputs alike.
 *
 * <p>{@code data} is what JSON gave (a flat or nested list of numbers, booleans or strings) or,
 * when the tensor was built in process, a primitive array in row-major order ({@code float[]},
 * {@code long[]}, ...), which avoids boxing on the hot path.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NamedTensor(
    String name, List<Long> shape, String datatype, Map<String, Object> parameters, Object data) {

  public static NamedTensor of(String name, String datatype, List<Long> shape, Object data) {
    return new NamedTensor(name, shape, datatype, null, data);
  }
}
