package io.triad.functions.internal.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.internal.evaluation.EvaluationReport;
import io.triad.functions.internal.evaluation.ReportHtml;
import io.triad.functions.store.BlobStore;
import io.triad.functions.telemetry.TraceContext;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes an evaluation as {@code evaluations/{model}/{version}/{name}.json} and {@code .html}. */
public final class ReportWriter {
  private final BlobStore store;
  private final ObjectMapper json;

  public ReportWriter(BlobStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * @return the keys written, JSON first
   */
  public List<String> write(EvaluationReport report, String name) {
    String base = BucketLayout.evaluation(report.model(), report.version(), name);
    store.put(base + ".json", TriadJson.pretty(json, report), TraceContext.metadata());
    store.put(
        base + ".html",
        ReportHtml.render(report).getBytes(StandardCharsets.UTF_8),
        TraceContext.metadata());
    return List.of(base + ".json", base + ".html");
  }
}
