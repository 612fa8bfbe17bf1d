package io.triad.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.RequestId;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway HTTP API (payload format 2.0) and Lambda function URL events, which share one format,
 * to {@link HttpCall}; the {@link HttpAnswer} back as a {@link GatewayResponse}. Routing, limits
 * and error bodies are {@link InferenceApi}'s, as on every runtime.
 */
final class HttpEvents implements LambdaEvents {
  private final InferenceApi api;

  HttpEvents(InferenceApi api) {
    this.api = api;
  }

  @Override
  public GatewayResponse handle(JsonNode event) {
    return encode(api.handle(decode(event)));
  }

  static HttpCall decode(JsonNode event) {
    if (!"2.0".equals(event.path("version").asText())) {
      throw new IllegalArgumentException(
          "not an API Gateway payload 2.0 or function URL event (version '"
              + event.path("version").asText()
              + "'); configure the HTTP API with payload format 2.0");
    }
    JsonNode http = event.path("requestContext").path("http");
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    event.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    // a caller that names no request or trace gets API Gateway's (or the function URL's) own
    // request id, which its access logs also show
    String gatewayId = event.path("requestContext").path("requestId").asText("");
    if (!gatewayId.isEmpty()
        && !headers.containsKey(RequestId.HEADER)
        && !headers.containsKey(RequestId.TRACEPARENT)) {
      headers.put(RequestId.HEADER, gatewayId);
    }
    String body = event.path("body").isTextual() ? event.path("body").asText() : "";
    byte[] bytes =
        event.path("isBase64Encoded").asBoolean(false)
            ? Base64.getMimeDecoder().decode(body)
            : body.getBytes(StandardCharsets.UTF_8);
    return new HttpCall(http.path("method").asText("GET"), path(event), headers, bytes);
  }

  /**
   * The raw path without the stage: a named stage of an HTTP API prefixes it ({@code
   * /prod/v2/...}).
   */
  private static String path(JsonNode event) {
    String raw = event.path("rawPath").asText("/");
    String stage = event.path("requestContext").path("stage").asText("$default");
    String prefix = "/" + stage;
    if (!stage.equals("$default") && (raw.equals(prefix) || raw.startsWith(prefix + "/"))) {
      raw = raw.substring(prefix.length());
    }
    return raw.isEmpty() ? "/" : raw;
  }

  static GatewayResponse encode(HttpAnswer answer) {
    String type = answer.headers().getOrDefault("Content-Type", "").toLowerCase(Locale.ROOT);
    boolean text = type.startsWith("application/json") || type.startsWith("text/");
    String body =
        text
            ? new String(answer.body(), StandardCharsets.UTF_8)
            : Base64.getEncoder().encodeToString(answer.body());
    return new GatewayResponse(answer.status(), Map.copyOf(answer.headers()), body, !text);
  }
}
