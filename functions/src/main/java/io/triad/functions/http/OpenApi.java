package io.triad.functions.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The HTTP API described as OpenAPI 3.0 ({@code openapi.json} beside this class), answered at
 * {@value InferenceApi#OPENAPI_PATH} on every runtime. {@code OpenApiTest} holds it to the routes
 * {@link InferenceApi} answers and to the OpenAPI specification.
 */
final class OpenApi {
  private static final byte[] DOCUMENT = read();

  private OpenApi() {}

  static byte[] document() {
    return DOCUMENT.clone();
  }

  private static byte[] read() {
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing beside " + OpenApi.class);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading openapi.json", e);
    }
  }
}
