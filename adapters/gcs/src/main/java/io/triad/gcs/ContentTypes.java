package io.triad.gcs;

import java.util.Locale;

/**
 * The Content-Type a written object gets, so the console and browsers show reports and JSON
 * properly.
 */
final class ContentTypes {
  private ContentTypes() {}

  static String of(String key) {
    String name = key.toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 || dot < name.lastIndexOf('/') ? "" : name.substring(dot + 1);
    return switch (extension) {
      case "json" -> "application/json";
      case "jsonl" -> "application/x-ndjson";
      case "csv" -> "text/csv";
      case "html" -> "text/html; charset=utf-8";
      default -> "application/octet-stream";
    };
  }
}
