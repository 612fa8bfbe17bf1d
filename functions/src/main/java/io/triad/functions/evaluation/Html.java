package io.triad.functions.evaluation;

import java.util.Locale;

/** Escaping and number formatting for the report; every user string goes through {@link #text}. */
final class Html {

  private Html() {}

  /** Escapes text for an HTML/SVG element body or a quoted attribute value. */
  static String text(String raw) {
    if (raw == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(raw.length() + 16);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A metric with four decimals; "n/a" for an undefined one. */
  static String metric(Double value) {
    return value == null || !Double.isFinite(value)
        ? "n/a"
        : String.format(Locale.ROOT, "%.4f", value);
  }

  /** A coordinate for SVG: two decimals, '.' as separator whatever the default locale. */
  static String coordinate(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
