package io.triad.aws;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The response API Gateway HTTP APIs (payload 2.0) and function URLs read from a Lambda. */
public record GatewayResponse(
    int statusCode,
    Map<String, String> headers,
    String body,
    @JsonProperty("isBase64Encoded") boolean base64Encoded) {}
