package io.triad.functions.internal.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import io.triad.functions.image.RowImages;
import io.triad.functions.inference.Postprocessor;
import io.triad.functions.inference.PredictionWriter;
import io.triad.functions.inference.Predictor;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Feature;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.monitoring.PayloadLog;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.Scratch;
import io.triad.functions.tabular.Preprocessor;
import io.triad.functions.tabular.RecordSource;
import io.triad.functions.telemetry.TraceContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores an uploaded file in micro-batches with bounded memory and writes one JSON line per row, in
 * input order, echoing the row's {@code id} when it has one. Output is staged in a local file and
 * published in one write, so a failure anywhere leaves no partial prediction file. The whole file
 * is scored by one model version, held for the length of the job.
 */
public final class BatchScorer {
  private final BlobStore store;
  private final ModelRegistry registry;
  private final Predictor predictor;
  private final ObjectMapper json;
  private final int microBatch;
  private final PayloadLog payloads;
  private final long maxUploadBytes;

  /** A picture is read whole to be decoded: larger than this, it is refused unread. */
  static final long MAX_PICTURE_BYTES = 64L << 20;

  public BatchScorer(
      BlobStore store,
      ModelRegistry registry,
      Predictor predictor,
      ObjectMapper json,
      int microBatch,
      long maxUploadBytes) {
    this(store, registry, predictor, json, microBatch, maxUploadBytes, null);
  }

  /** As above; a sampled upload's rows also go to {@code payloads} (when not null). */
  public BatchScorer(
      BlobStore store,
      ModelRegistry registry,
      Predictor predictor,
      ObjectMapper json,
      int microBatch,
      long maxUploadBytes,
      PayloadLog payloads) {
    this.payloads = payloads;
    this.maxUploadBytes = maxUploadBytes;
    this.store = store;
    this.registry = registry;
    this.predictor = predictor;
    this.json = json;
    this.microBatch = microBatch;
  }

  public Outcome.Written score(String key, String model, String outputKey) throws IOException {
    checkSize(key, maxUploadBytes, "triad.max-upload-bytes");
    Path staged = Scratch.newFile("predictions-", ".jsonl");
    try (ModelLease lease = registry.acquire(model, null)) {
      String uploadId = org.slf4j.MDC.get(io.triad.functions.api.RequestId.MDC_KEY);
      Sampled sampled =
          payloads != null && payloads.samples(model, uploadId)
              ? new Sampled(payloads.fields(model))
              : null;
      long rows;
      try (InputStream in = store.open(key);
          RecordSource source = RecordSource.open(key, in, json);
          Writer out =
              new BufferedWriter(Files.newBufferedWriter(staged, StandardCharsets.UTF_8), 1 << 16);
          PredictionWriter lines = new PredictionWriter(json, out)) {
        checkColumns(source.columns(), lease.manifest());
        boolean image =
            lease.manifest().preprocessing() != null && lease.manifest().preprocessing().isImage();
        rows =
            scoreAll(
                source,
                lease,
                lines,
                image ? new RowImages(store, key) : null,
                image ? null : sampled);
      }
      if (rows == 0) {
        throw TriadError.unprocessable("the file has no data rows");
      }
      store.put(outputKey, staged, outputMetadata(model, lease.version()));
      if (sampled != null && !sampled.inputs.isEmpty()) {
        // logged once the output is written, so a failed attempt leaves nothing to repeat
        payloads.scored(model, lease.version(), uploadId, sampled.inputs, sampled.outputs);
      }
      return new Outcome.Written(key, List.of(outputKey), rows);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  /**
   * Scores one uploaded picture into a JSON object: the key, then label, probabilities and top k.
   */
  public Outcome.Written scoreImage(String key, String model, String outputKey) throws IOException {
    long limit = Math.min(maxUploadBytes, MAX_PICTURE_BYTES);
    checkSize(key, limit, "the picture limit");
    byte[] image;
    try (InputStream in = store.open(key)) {
      image = in.readNBytes((int) limit + 1);
    }
    if (image.length > limit) {
      throw TriadError.unprocessable("the picture grew past " + limit + " bytes while it was read");
    }
    try (ModelLease lease = registry.acquire(model, null)) {
      ModelManifest manifest = lease.manifest();
      if (manifest.preprocessing() == null || !manifest.preprocessing().isImage()) {
        throw TriadError.unprocessable(
            model + " is not an image model; upload .csv, .jsonl or .json");
      }
      InferenceRequest request = Preprocessor.toImageRequest(manifest, List.of(image), i -> key);
      InferenceResponse response = predictor.run(lease, request);
      Map<String, Object> prediction = new LinkedHashMap<>();
      prediction.put("key", key);
      prediction.put("model", lease.name());
      prediction.put("version", lease.version());
      prediction.putAll(Postprocessor.rows(response, manifest.postprocessing()).get(0));
      store.put(
          outputKey, TriadJson.pretty(json, prediction), outputMetadata(model, lease.version()));
      return new Outcome.Written(key, List.of(outputKey), 1);
    }
  }

  /**
   * What an output's metadata says: the trace it was written in ({@link TraceContext}) and the
   * version that scored it ({@value #MODEL_VERSION}), which under a canary may not be production.
   */
  private static Map<String, String> outputMetadata(String model, String version) {
    Map<String, String> metadata = new LinkedHashMap<>(TraceContext.metadata());
    metadata.put(MODEL, model);
    metadata.put(MODEL_VERSION, version);
    return metadata;
  }

  /** The metadata entry that names the model of an output. */
  public static final String MODEL = "model";

  /** The metadata entry that names the version that scored an output. */
  public static final String MODEL_VERSION = "model_version";

  /** Refuses an upload over {@code limit} before a byte of it is read. */
  private void checkSize(String key, long limit, String setting) {
    store
        .head(key)
        .filter(info -> info.size() > limit)
        .ifPresent(
            info -> {
              throw new TriadError(
                  TriadError.Kind.PAYLOAD_TOO_LARGE,
                  "the upload is "
                      + info.size()
                      + " bytes, over "
                      + setting
                      + " ("
                      + limit
                      + " bytes); split it into smaller files");
            });
  }

  /** The first rows of a sampled upload, their allowed fields beside their predictions. */
  private final class Sampled {
    private final List<String> fields;
    private final List<com.fasterxml.jackson.databind.JsonNode> inputs = new ArrayList<>();
    private final List<java.util.Map<String, Object>> outputs = new ArrayList<>();

    Sampled(List<String> fields) {
      this.fields = fields;
    }

    void add(List<RecordSource.Row> batch, InferenceResponse response, ModelManifest manifest) {
      if (inputs.size() >= PayloadLog.MAX_UPLOAD_ROWS) {
        return;
      }
      List<java.util.Map<String, Object>> predicted =
          Postprocessor.rows(response, manifest.postprocessing());
      for (int i = 0; i < batch.size() && inputs.size() < PayloadLog.MAX_UPLOAD_ROWS; i++) {
        com.fasterxml.jackson.databind.node.ObjectNode input = json.createObjectNode();
        for (String field : fields) {
          String value = batch.get(i).text(field);
          if (value != null) {
            input.put(field, value);
          }
        }
        inputs.add(input);
        outputs.add(predicted.get(i));
      }
    }
  }

  private long scoreAll(
      RecordSource source,
      ModelLease lease,
      PredictionWriter lines,
      RowImages images,
      Sampled sampled)
      throws IOException {
    List<RecordSource.Row> batch = new ArrayList<>(microBatch);
    long rows = 0;
    for (RecordSource.Row row = source.next(); row != null; row = source.next()) {
      batch.add(row);
      if (batch.size() == microBatch) {
        rows += flush(batch, lease, source.textValues(), lines, images, sampled);
      }
    }
    return rows + flush(batch, lease, source.textValues(), lines, images, sampled);
  }

  private int flush(
      List<RecordSource.Row> batch,
      ModelLease lease,
      boolean textValues,
      PredictionWriter lines,
      RowImages images,
      Sampled sampled)
      throws IOException {
    if (batch.isEmpty()) {
      return 0;
    }
    ModelManifest manifest = lease.manifest();
    InferenceRequest request;
    if (images != null) {
      List<byte[]> pictures = new ArrayList<>(batch.size());
      batch.forEach(row -> pictures.add(images.bytes(row)));
      request =
          Preprocessor.toImageRequest(
              manifest, pictures, i -> "row[" + batch.get(i).number() + "]");
    } else {
      request = Preprocessor.toRequest(manifest, batch, textValues);
    }
    InferenceResponse response = predictor.run(lease, request);
    List<Object> ids = new ArrayList<>(batch.size());
    batch.forEach(row -> ids.add(row.value("id")));
    lines.write(response, manifest.postprocessing(), ids);
    if (sampled != null) {
      sampled.add(batch, response, manifest);
    }
    int n = batch.size();
    batch.clear();
    return n;
  }

  /** A CSV header missing a feature fails before any row is scored, naming every missing column. */
  private static void checkColumns(List<String> columns, ModelManifest manifest) {
    if (columns.isEmpty() || manifest.preprocessing() == null) {
      return;
    }
    List<String> missing =
        manifest.preprocessing().features().stream()
            .map(Feature::name)
            .filter(name -> !columns.contains(name))
            .toList();
    if (!missing.isEmpty()) {
      throw TriadError.unprocessable(
          "missing column(s) " + missing + "; the header has " + columns);
    }
  }
}
