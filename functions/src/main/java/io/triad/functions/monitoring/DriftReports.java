package io.triad.functions.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.report.Html;
import io.triad.functions.store.BlobStore;
import io.triad.functions.telemetry.TraceContext;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a drift report as {@code monitoring/{m}/{v}/drift-{yyyy-MM-dd}.json} and {@code .html}
 * (the day's latest check), and says so in the log: a warning when the data drifted.
 */
public final class DriftReports {
  private static final Logger log = LoggerFactory.getLogger(DriftReports.class);

  private final BlobStore store;
  private final ObjectMapper json;

  public DriftReports(BlobStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** The keys written, JSON first. */
  public List<String> write(DriftCheck.DriftReport report) {
    return write(
        report,
        BucketLayout.driftReport(
            report.model(),
            report.version(),
            LocalDate.ofInstant(report.created(), ZoneOffset.UTC)));
  }

  /**
   * As {@link #write(DriftCheck.DriftReport)}, for a check of the payload log of {@code day} (the
   * tick's day, which names the report whenever the check itself ran).
   */
  public List<String> writeServed(DriftCheck.DriftReport report, LocalDate day) {
    return write(report, BucketLayout.servedDriftReport(report.model(), report.version(), day));
  }

  private List<String> write(DriftCheck.DriftReport report, String base) {
    store.put(base + ".json", TriadJson.pretty(json, report), TraceContext.metadata());
    store.put(
        base + ".html", html(report).getBytes(StandardCharsets.UTF_8), TraceContext.metadata());
    List<String> drifted =
        report.features().stream()
            .filter(DriftCheck.FeatureDrift::drifted)
            .map(DriftCheck.FeatureDrift::feature)
            .toList();
    if (report.drifted()) {
      log.warn(
          "{} version {}: the data drifted from its training data in {} of {} features {} ({} rows"
              + " of {}); see {}.html",
          report.model(),
          report.version(),
          drifted.size(),
          report.features().size(),
          drifted,
          report.rows(),
          report.source(),
          base);
    } else {
      log.info(
          "{} version {}: no drift ({} of {} features moved; {} rows of {})",
          report.model(),
          report.version(),
          drifted.size(),
          report.features().size(),
          report.rows(),
          report.source());
    }
    return List.of(base + ".json", base + ".html");
  }

  static String html(DriftCheck.DriftReport report) {
    StringBuilder out = new StringBuilder(4096);
    out.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(Html.text(report.model() + " " + report.version() + ": drift"))
        .append("</title><style>")
        .append(Html.CSS)
        .append(".drift{color:#a40000;font-weight:600}</style></head><body><main><h1>")
        .append(Html.text(report.model()))
        .append(" <span class=\"version\">")
        .append(Html.text(report.version()))
        .append("</span>: ")
        .append(report.drifted() ? "<span class=\"drift\">drift</span>" : "no drift")
        .append("</h1><dl><dt>compared</dt><dd>")
        .append(report.rows())
        .append(" rows of ")
        .append(Html.text(report.source()))
        .append(" with the version's training data</dd><dt>features drifted</dt><dd>")
        .append(String.format(Locale.ROOT, "%.0f%%", 100 * report.driftedShare()))
        .append(" (the data set drifts at ")
        .append(String.format(Locale.ROOT, "%.0f%%", 100 * DriftCheck.DRIFT_SHARE))
        .append(")</dd><dt>checked</dt><dd>")
        .append(Html.text(report.created().toString()))
        .append("</dd></dl><h2>By feature</h2><table><tr><th>feature</th><th>kind</th>")
        .append("<th>test</th><th>score</th><th>threshold</th><th>drift</th><th>PSI</th>")
        .append("<th>training rows</th><th>rows</th></tr>");
    for (DriftCheck.FeatureDrift feature : report.features()) {
      out.append("<tr><td>")
          .append(Html.text(feature.feature()))
          .append("</td><td>")
          .append(Html.text(feature.kind()))
          .append("</td><td>")
          .append(Html.text(feature.test()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.4g", feature.score()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2g", feature.threshold()))
          .append("</td><td")
          .append(feature.drifted() ? " class=\"drift\">yes" : ">no")
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.3f", feature.psi()))
          .append("</td><td>")
          .append(feature.referenceRows())
          .append("</td><td>")
          .append(feature.servedRows())
          .append("</td></tr>");
    }
    return out.append("</table></main></body></html>").toString();
  }
}
