package io.triad.functions.http;

import java.util.Map;

/** The answer every runtime encodes: status, headers and body bytes (always JSON here). */
public record HttpAnswer(int status, Map<String, String> headers, byte[] body) {
  public static final String JSON = "application/json";

  public static HttpAnswer json(int status, byte[] body) {
    return new HttpAnswer(status, Map.of("Content-Type", JSON), body);
  }
}
