package io.triad.functions.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The answer to an inference request (Open Inference Protocol v2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceResponse(
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    String id,
    Map<String, Object> parameters,
    List<NamedTensor> outputs) {

  public NamedTensor output(String name) {
    return outputs.stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no output " + name));
  }
}
