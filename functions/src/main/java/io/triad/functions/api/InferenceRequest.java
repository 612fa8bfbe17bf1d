package io.triad.functions.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /v2/models/{m}/infer} (Open Inference Protocol v2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceRequest(
    String id,
    Map<String, Object> parameters,
    List<NamedTensor> inputs,
    List<RequestedOutput> outputs) {

  /** An output the caller asks for; without any, every output is returned. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestedOutput(String name, Map<String, Object> parameters) {}
}
