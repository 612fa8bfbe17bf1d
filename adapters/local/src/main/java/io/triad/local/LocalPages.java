package io.triad.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.ModelStates;
import io.triad.functions.report.Html;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.ObjectKeys;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the local runtime answers besides the API: {@code GET /} a page for people (every model, its
 * state and versions, the gate's last decisions and links to every report; no external asset,
 * reloading itself), {@code GET /reports/{key}} the reports it links to (HTML and JSON under {@code
 * evaluations/} and {@code candidates/} only, read from the bucket), and {@code GET /metrics} the
 * Prometheus text.
 */
final class LocalPages {
  static final String PAGE = "/";
  static final String REPORTS = "/reports/";
  static final String METRICS = "/metrics";

  /** How often the page reloads itself, in seconds. */
  static final int REFRESH_SECONDS = 10;

  /** A report larger than this is not served. */
  static final long MAX_REPORT_BYTES = 32L << 20;

  /** Decisions and reports shown per model, newest first. */
  static final int SHOWN = 20;

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String HTML = "text/html; charset=utf-8";

  /** Pages run no script and load nothing from elsewhere. */
  private static final String POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  private final BlobStore store;
  private final ModelStates states;
  private final List<String> models;
  private final Supplier<String> metrics;
  private final ObjectMapper json;

  LocalPages(
      BlobStore store,
      ModelStates states,
      List<String> models,
      Supplier<String> metrics,
      ObjectMapper json) {
    this.store = store;
    this.states = states;
    this.models = List.copyOf(models);
    this.metrics = metrics;
    this.json = json;
  }

  /** The answer for a GET of {@code path}, or empty when the API answers it. */
  Optional<HttpAnswer> answer(String method, String path) {
    if (!method.equals("GET")) {
      return Optional.empty();
    }
    if (path.equals(METRICS) && metrics != null) {
      return Optional.of(
          new HttpAnswer(
              200,
              Map.of("Content-Type", PROMETHEUS_TEXT),
              metrics.get().getBytes(StandardCharsets.UTF_8)));
    }
    if (path.equals(PAGE)) {
      return Optional.of(html(200, page()));
    }
    if (path.startsWith(REPORTS)) {
      return Optional.of(report(path.substring(REPORTS.length())));
    }
    return Optional.empty();
  }

  /** A report from the bucket: only what the page links to, never anything else in it. */
  private HttpAnswer report(String encodedKey) {
    String checked;
    try {
      checked = ObjectKeys.check(decode(encodedKey));
    } catch (RuntimeException e) {
      return notFound();
    }
    boolean reportFolder =
        checked.startsWith(BucketLayout.EVALUATIONS)
            || checked.startsWith(BucketLayout.CANDIDATES)
            || checked.startsWith(BucketLayout.MONITORING);
    boolean html = checked.endsWith(".html");
    if (!reportFolder || !(html || checked.endsWith(".json"))) {
      return notFound();
    }
    Optional<byte[]> bytes =
        store
            .head(checked)
            .filter(info -> info.size() <= MAX_REPORT_BYTES)
            .flatMap(i -> read(checked));
    if (bytes.isEmpty()) {
      return notFound();
    }
    return new HttpAnswer(
        200,
        Map.of(
            "Content-Type",
            html ? HTML : HttpAnswer.JSON,
            "Content-Security-Policy",
            POLICY,
            "X-Content-Type-Options",
            "nosniff"),
        bytes.get());
  }

  private static HttpAnswer notFound() {
    return HttpAnswer.json(404, "{\"error\":\"no such report\"}".getBytes(StandardCharsets.UTF_8));
  }

  private static HttpAnswer html(int status, String page) {
    return new HttpAnswer(
        status,
        Map.of(
            "Content-Type",
            HTML,
            "Content-Security-Policy",
            POLICY,
            "X-Content-Type-Options",
            "nosniff",
            "Cache-Control",
            "no-store"),
        page.getBytes(StandardCharsets.UTF_8));
  }

  String page() {
    StringBuilder out = new StringBuilder(8192);
    out.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"")
        .append(REFRESH_SECONDS)
        .append("\"><title>Triad: models</title><style>")
        .append(Html.CSS)
        .append(
            ".state{display:inline-block;border-radius:4px;padding:1px 8px;font-size:.85rem}"
                + ".ready{background:#dff3e4}.training{background:#fff3cd}"
                + ".unavailable{background:#f8d7da}.untrained{background:#e9ecef}"
                + "section.model{background:#fff;border:1px solid #dde1e6;border-radius:6px;"
                + "padding:12px 16px;margin:16px 0}td,th{text-align:left}")
        .append("</style></head><body><main><h1>Models</h1>")
        .append("<p>This page reloads every ")
        .append(REFRESH_SECONDS)
        .append(" s. <a href=\"/metrics\">Metrics</a> · <a href=\"/openapi.json\">API</a> · ")
        .append("<a href=\"/v2/models\">/v2/models</a></p>");
    if (models.isEmpty()) {
      out.append("<p>No model is configured.</p>");
    }
    for (String model : models) {
      model(out, model);
    }
    return out.append("</main></body></html>").toString();
  }

  private void model(StringBuilder out, String model) {
    ModelStates.ModelState state = states.of(model);
    String stateName = state.state().name().toLowerCase(Locale.ROOT);
    out.append("<section class=\"model\" id=\"model-")
        .append(Html.text(model))
        .append("\"><h2>")
        .append(Html.text(model))
        .append(" <span class=\"state ")
        .append(stateName)
        .append("\">")
        .append(stateName)
        .append("</span></h2><dl><dt>serving</dt><dd class=\"serving\">")
        .append(state.version() == null ? "none" : Html.text(state.version()))
        .append("</dd><dt>versions</dt><dd>")
        .append(
            state.versions().isEmpty() ? "none" : Html.text(String.join(", ", state.versions())))
        .append("</dd>");
    if (state.reason() != null) {
      out.append("<dt>why</dt><dd>").append(Html.text(state.reason())).append("</dd>");
    }
    canary(out, model);
    if (state.training() != null) {
      out.append("<dt>training</dt><dd>")
          .append(Html.text(training(state.training())))
          .append("</dd>");
    }
    drift(out, model);
    out.append("</dl>");
    decisions(out, model);
    reports(out, model);
    out.append("</section>");
  }

  /**
   * The canary and shadow aliases, when there are: each one's version and share, or why it is not
   * used.
   */
  private void canary(StringBuilder out, String model) {
    for (String name : List.of(BucketLayout.CANARY, BucketLayout.SHADOW)) {
      Optional<byte[]> alias = read(BucketLayout.alias(model, name));
      if (alias.isEmpty()) {
        continue;
      }
      String text;
      try {
        io.triad.functions.model.VersionShare share =
            io.triad.functions.model.VersionShare.parse(alias.get(), name);
        text =
            "version "
                + share.version()
                + (name.equals(BucketLayout.CANARY) ? " answers " : " is shown ")
                + share.weight()
                + "% of requests";
      } catch (RuntimeException e) {
        text = "ignored: " + e.getMessage();
      }
      out.append("<dt>")
          .append(name)
          .append("</dt><dd class=\"")
          .append(name)
          .append("\">")
          .append(Html.text(text))
          .append("</dd>");
    }
  }

  /** The newest training job in words: its version, job and status, and its last progress line. */
  static String training(Map<String, Object> training) {
    List<String> parts = new ArrayList<>();
    for (String key : List.of("version", "job", "status")) {
      if (training.get(key) != null) {
        parts.add(key + " " + training.get(key));
      }
    }
    String text = String.join(", ", parts);
    if (training.get("progress") instanceof Map<?, ?> progress && progress.get("text") != null) {
      text += ": " + progress.get("text");
    }
    return text;
  }

  /** The latest drift check of the model: its verdict and a link to its report. */
  private void drift(StringBuilder out, String model) {
    BlobInfo latest =
        store.list(BucketLayout.MONITORING + model + "/").stream()
            .filter(info -> info.key().endsWith(".json"))
            .max(Comparator.comparing(BlobInfo::lastModified))
            .orElse(null);
    out.append("<dt>drift</dt><dd class=\"drift\">");
    if (latest == null) {
      out.append("not checked yet (each labelled upload checks it)");
    } else {
      JsonNode report = read(latest.key()).map(this::tree).orElse(null);
      String verdict =
          report == null
              ? "(unreadable)"
              : (report.path("drifted").asBoolean() ? "drift" : "no drift")
                  + " in version "
                  + report.path("version").asText("?")
                  + ", "
                  + Math.round(100 * report.path("driftedShare").asDouble())
                  + "% of features moved";
      out.append(Html.text(verdict))
          .append(" · ")
          .append(Html.text(when(latest.lastModified())))
          .append(" · ")
          .append(link(latest.key().replace(".json", ".html"), "report"));
    }
    out.append("</dd>");
  }

  /** The gate's decisions: each candidate's {@code gate.json}, newest first. */
  private void decisions(StringBuilder out, String model) {
    List<BlobInfo> gates =
        store.list(BucketLayout.EVALUATIONS + model + "/").stream()
            .filter(info -> info.key().endsWith("/gate.json"))
            .sorted(Comparator.comparing(BlobInfo::lastModified).reversed())
            .limit(SHOWN)
            .toList();
    out.append("<h3>Gate decisions</h3>");
    if (gates.isEmpty()) {
      out.append("<p>None yet.</p>");
      return;
    }
    out.append("<table class=\"decisions\"><tr><th>version</th><th>when</th><th>decision</th>")
        .append("<th>report</th></tr>");
    for (BlobInfo gate : gates) {
      JsonNode report = read(gate.key()).map(this::tree).orElse(null);
      String version = report == null ? "?" : report.path("version").asText("?");
      String decision =
          report != null && report.path("notes").isArray() && report.path("notes").size() > 0
              ? report.path("notes").get(0).asText()
              : "(unreadable)";
      out.append("<tr><td>")
          .append(Html.text(version))
          .append("</td><td>")
          .append(Html.text(when(gate.lastModified())))
          .append("</td><td class=\"decision\">")
          .append(Html.text(decision))
          .append("</td><td>")
          .append(link(gate.key().replace(".json", ".html"), "report"))
          .append("</td></tr>");
    }
    out.append("</table>");
  }

  /** Every HTML report about the model: evaluations, gate reports, training curves. */
  private void reports(StringBuilder out, String model) {
    List<BlobInfo> pages = new ArrayList<>();
    for (String prefix :
        List.of(
            BucketLayout.EVALUATIONS + model + "/",
            BucketLayout.CANDIDATES + model + "/",
            BucketLayout.MONITORING + model + "/")) {
      store.list(prefix).stream().filter(info -> info.key().endsWith(".html")).forEach(pages::add);
    }
    pages.sort(Comparator.comparing(BlobInfo::lastModified).reversed());
    out.append("<h3>Reports</h3>");
    if (pages.isEmpty()) {
      out.append("<p>None yet.</p>");
      return;
    }
    out.append("<ul class=\"reports\">");
    for (BlobInfo page : pages.subList(0, Math.min(SHOWN, pages.size()))) {
      out.append("<li>")
          .append(link(page.key(), page.key()))
          .append(" <span>")
          .append(Html.text(when(page.lastModified())))
          .append("</span></li>");
    }
    if (pages.size() > SHOWN) {
      out.append("<li>and ").append(pages.size() - SHOWN).append(" older</li>");
    }
    out.append("</ul>");
  }

  private static String link(String key, String text) {
    return "<a href=\"" + REPORTS + Html.text(encode(key)) + "\">" + Html.text(text) + "</a>";
  }

  /** {@code key} as a URL path: unreserved characters and '/' as they are, the rest %XX. */
  static String encode(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  /** The inverse of {@link #encode}; a malformed escape is refused. */
  static String decode(String path) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        if (i + 2 >= path.length()) {
          throw new IllegalArgumentException("a cut-short escape");
        }
        bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String when(Instant time) {
    return time == null ? "" : time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private Optional<byte[]> read(String key) {
    try {
      return Optional.of(store.read(key));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private JsonNode tree(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
