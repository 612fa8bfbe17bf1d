package io.triad.functions.report;

import java.util.Locale;

/** Escaping and number formatting for the report; every user string goes through {@link #text}. */
public final class Html {
  /** The style every report page shares (evaluation reports, training curves). */
  public static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;\
      margin:0;background:#f6f7f9}
      main{max-width:1100px;margin:0 auto;padding:24px}
      h1{margin:0 0 8px;font-size:1.6rem}h1 .version{color:#5a6270;font-weight:400}
      h2{font-size:1.15rem;margin:32px 0 12px}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
      dt{color:#5a6270}dd{margin:0;word-break:break-all}
      .cards{display:flex;flex-wrap:wrap;gap:12px}
      .card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px 16px;\
      min-width:140px}
      .card .name{color:#5a6270;font-size:.85rem}.card .value{font-size:1.5rem;\
      font-variant-numeric:tabular-nums}
      table{border-collapse:collapse;background:#fff;font-variant-numeric:tabular-nums}
      th,td{border:1px solid #dde1e6;padding:6px 10px;text-align:right}
      th:first-child,td:first-child{text-align:left}
      tr.average td{font-weight:600;background:#f0f2f5}
      figure{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px;\
      margin:0;display:inline-block;max-width:100%;overflow-x:auto}
      figcaption{color:#5a6270;font-size:.85rem;margin-top:8px}
      svg text{font-family:inherit}svg .axis{font-size:11px;fill:#3a3f47}
      svg .axis-title{font-size:12px;font-weight:600;fill:#3a3f47}svg .legend{font-size:12px}
      svg .grid{stroke:#eceef1}svg .frame{stroke:#8a919c}
      svg .diagonal{stroke:#8a919c;stroke-dasharray:4 4}
      .gallery{display:flex;flex-wrap:wrap;gap:12px}
      .gallery figure{text-align:center;width:120px}
      .gallery img{width:96px;height:96px;object-fit:contain;image-rendering:pixelated;\
      background:#000}
      """;

  private Html() {}

  /** Escapes text for an HTML/SVG element body or a quoted attribute value. */
  public static String text(String raw) {
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
  public static String metric(Double value) {
    return value == null || !Double.isFinite(value)
        ? "n/a"
        : String.format(Locale.ROOT, "%.4f", value);
  }

  /** A coordinate for SVG: two decimals, '.' as separator whatever the default locale. */
  public static String coordinate(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
