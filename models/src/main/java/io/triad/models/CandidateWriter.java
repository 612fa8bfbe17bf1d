package io.triad.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Puts a candidate under its prefix: {@code model.onnx}, {@code holdout.csv}, {@code
 * training-rows.txt} (the fingerprints of the rows it trained on), {@code training.json} and {@code
 * training.html} (curves), then {@code manifest.json} last, because the manifest landing is what
 * starts the evaluation.
 */
public final class CandidateWriter {
  public static final String TRAINING_FILE = "training.json";
  public static final String TRAINING_REPORT_FILE = "training.html";

  private final BlobStore store;
  private final ObjectMapper json;

  public CandidateWriter(BlobStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** The mapper manifests are written with: ISO-8601 dates, sorted map keys, indented. */
  public static ObjectMapper defaultMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  public void write(String prefix, Candidate candidate) {
    store.put(prefix + BucketLayout.MODEL_FILE, candidate.model());
    store.put(prefix + BucketLayout.HOLDOUT_FILE, candidate.holdoutCsv());
    store.put(prefix + BucketLayout.TRAINING_ROWS_FILE, candidate.trainingRows().toBytes());
    store.put(prefix + TRAINING_FILE, toJson(candidate.report()));
    store.put(
        prefix + TRAINING_REPORT_FILE,
        trainingHtml(candidate.report(), parameters(candidate)).getBytes(StandardCharsets.UTF_8));
    store.put(prefix + BucketLayout.MANIFEST_FILE, toJson(candidate.manifest()));
  }

  /** Loss and accuracy per epoch as the same kind of self-contained page as an evaluation. */
  private static Map<String, Object> parameters(Candidate candidate) {
    ModelManifest.Lineage lineage = candidate.manifest().lineage();
    return lineage == null || lineage.parameters() == null ? Map.of() : lineage.parameters();
  }

  static String trainingHtml(TrainingReport report, Map<String, ?> parameters) {
    Map<String, Object> shown = new java.util.LinkedHashMap<>(parameters);
    if (!report.devices().isEmpty()) {
      shown.put("trained on", String.join(", ", report.devices()));
      shown.put(
          "examples/s per device",
          String.format(java.util.Locale.ROOT, "%,.0f", report.examplesPerSecondPerDevice()));
    }
    return TrainingCurvesHtml.render(
        report.model(),
        report.version(),
        report.trainer(),
        report.epochs(),
        report.holdout(),
        shown);
  }

  private byte[] toJson(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }
}
