package io.triad.functions.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as every runtime decodes it: method, path without the query, headers (names
 * case-insensitive) and the body bytes.
 */
public record HttpCall(String method, String path, Map<String, String> headers, byte[] body) {
  public HttpCall {
    method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    path = path == null || path.isEmpty() ? "/" : path;
    TreeMap<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      caseless.putAll(headers);
    }
    headers = caseless;
    body = body == null ? new byte[0] : body;
  }

  public String header(String name) {
    return headers.get(name);
  }
}
