package io.triad.contract;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What came back: the status, the headers by lower-case name, and the body's bytes. */
record Answer(int status, Map<String, String> headers, byte[] body) {

  Answer {
    Map<String, String> lower = new TreeMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    headers = Map.copyOf(lower);
  }

  /**
   * The media type without parameters ({@code application/json; charset=utf-8} → {@code
   * application/json}).
   */
  String mediaType() {
    String type = headers.getOrDefault("content-type", "");
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
