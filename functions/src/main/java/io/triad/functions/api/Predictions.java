package io.triad.functions.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The answer of {@code POST /v1/models/{m}:predict}: one prediction per instance, in order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Predictions(
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    List<Map<String, Object>> predictions) {}
