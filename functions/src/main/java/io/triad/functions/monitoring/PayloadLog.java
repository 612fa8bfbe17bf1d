package io.triad.functions.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.config.PayloadSettings;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payload logging: a sampled share of each model's {@code :predict} requests and uploads (the first
 * {@value #MAX_UPLOAD_ROWS} rows of each sampled file, once its predictions are written), with
 * their predictions, written as JSON Lines under {@code payloads/{m}/{yyyy-MM-dd}/} in the bucket,
 * one line per instance or row. Off unless a model's {@code payloads.rate} is set ({@link
 * PayloadSettings}); only the fields its allow-list names are written from a request. Lines are
 * batched in memory and written as one object per model when {@value #MAX_LINES} are waiting, every
 * flush interval, when a runtime says an invocation ended, and at shutdown; a failed write is
 * logged and the lines are dropped (the log never holds up or fails a request), and memory holds no
 * more than {@value #MAX_LINES} lines or {@value #MAX_BYTES} bytes (beyond one request's own
 * lines).
 */
public final class PayloadLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayloadLog.class);

  /** Lines held before the batches are written at once. */
  public static final int MAX_LINES = 1000;

  /** The most rows of one sampled upload that are logged (its first ones). */
  public static final int MAX_UPLOAD_ROWS = 10_000;

  /** Bytes of lines held before the batches are written at once (a few large requests). */
  public static final long MAX_BYTES = 8L << 20;

  /** The largest value written whole; a larger one is written as its size and SHA-256. */
  public static final int MAX_VALUE_BYTES = 4096;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HHmmss.SSS").withZone(ZoneOffset.UTC);

  private final BlobStore store;
  private final ObjectMapper json;
  private final Clock clock;
  private final Function<String, PayloadSettings> settings;
  private final String writer = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, List<String>> waiting = new LinkedHashMap<>();
  private final ScheduledExecutorService flusher;
  private int lines;
  private long bytes;

  /**
   * @param flushEvery how often waiting lines are written; null for never (the runtime flushes)
   */
  public PayloadLog(
      BlobStore store,
      ObjectMapper json,
      Clock clock,
      Function<String, PayloadSettings> settings,
      java.time.Duration flushEvery) {
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.settings = settings;
    if (flushEvery == null) {
      this.flusher = null;
    } else {
      this.flusher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "triad-payloads");
                t.setDaemon(true);
                return t;
              });
      long millis = Math.max(1, flushEvery.toMillis());
      flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether any of {@code model}'s requests would be written. */
  public boolean on(String model) {
    return settings.apply(model).on();
  }

  /**
   * Records one answered {@code :predict} when its request id falls in the model's sample: each
   * instance's allowed fields beside its prediction.
   */
  public void predicted(
      String model,
      String version,
      String requestId,
      List<JsonNode> instances,
      List<Map<String, Object>> predictions) {
    PayloadSettings payloads = settings.apply(model);
    if (!payloads.on() || !sampled(requestId, payloads.rate())) {
      return;
    }
    record(model, version, requestId, "http", instances, predictions, payloads);
  }

  /**
   * Records one answered Open Inference Protocol request ({@code /infer}) when its request id falls
   * in the model's sample: one line, its input the allowed input tensors by name (the allow-list
   * names tensors here), its output every output tensor; a tensor larger than {@value
   * #MAX_VALUE_BYTES} bytes as JSON is written as its size and SHA-256 only.
   */
  public void inferred(
      String model,
      String version,
      String requestId,
      InferenceRequest request,
      InferenceResponse response) {
    PayloadSettings payloads = settings.apply(model);
    if (!payloads.on() || !sampled(requestId, payloads.rate())) {
      return;
    }
    ObjectNode inputs = json.createObjectNode();
    if (request.inputs() != null) {
      for (NamedTensor tensor : request.inputs()) {
        if (tensor != null && payloads.fields().contains(tensor.name())) {
          inputs.set(tensor.name(), bounded(json.valueToTree(tensor)));
        }
      }
    }
    ObjectNode outputs = json.createObjectNode();
    if (response.outputs() != null) {
      for (NamedTensor tensor : response.outputs()) {
        outputs.set(tensor.name(), bounded(json.valueToTree(tensor)));
      }
    }
    Map<String, Object> output = new java.util.LinkedHashMap<>();
    output.put("outputs", outputs);
    record(model, version, requestId, "http", List.of(inputs), List.of(output), null);
  }

  /** Whether the upload whose id is {@code uploadId} is in {@code model}'s sample. */
  public boolean samples(String model, String uploadId) {
    PayloadSettings payloads = settings.apply(model);
    return payloads.on() && uploadId != null && sampled(uploadId, payloads.rate());
  }

  /** The fields of {@code model}'s requests the log may hold. */
  public List<String> fields(String model) {
    return settings.apply(model).fields();
  }

  /**
   * Records the rows of a scored upload in the sample ({@link #samples}), once its predictions are
   * written: {@code rows} hold the allowed fields of each row.
   */
  public void scored(
      String model,
      String version,
      String uploadId,
      List<JsonNode> rows,
      List<Map<String, Object>> predictions) {
    record(model, version, uploadId, "upload", rows, predictions, settings.apply(model));
  }

  private void record(
      String model,
      String version,
      String requestId,
      String source,
      List<JsonNode> instances,
      List<Map<String, Object>> predictions,
      PayloadSettings payloads) {
    String time = Instant.now(clock).toString();
    List<String> batch = new ArrayList<>(instances.size());
    for (int i = 0; i < instances.size(); i++) {
      ObjectNode line = json.createObjectNode();
      line.put("time", time);
      line.put("request_id", requestId);
      line.put("model", model);
      line.put("version", version);
      line.put("source", source);
      line.put("instance", i);
      line.set(
          "input",
          payloads == null ? instances.get(i) : allowed(instances.get(i), payloads.fields()));
      line.set("output", json.valueToTree(i < predictions.size() ? predictions.get(i) : null));
      try {
        batch.add(json.writeValueAsString(line));
      } catch (JsonProcessingException e) {
        log.warn("a payload line for {} could not be written: {}", model, e.getOriginalMessage());
      }
    }
    long size = batch.stream().mapToLong(line -> line.length() + 1L).sum();
    boolean full;
    synchronized (this) {
      waiting.computeIfAbsent(model, m -> new ArrayList<>()).addAll(batch);
      lines += batch.size();
      bytes += size;
      full = lines >= MAX_LINES || bytes >= MAX_BYTES;
    }
    if (full) {
      flushQuietly();
    }
  }

  /**
   * Whether a request is in a sample of {@code rate}: decided from its id, so a retry is logged or
   * not as the first attempt was.
   */
  static boolean sampled(String requestId, double rate) {
    return rate >= 1 || io.triad.functions.api.RequestId.share("payload:" + requestId) < rate;
  }

  /** The fields of {@code instance} the allow-list names; nothing of a positional instance. */
  private JsonNode allowed(JsonNode instance, List<String> fields) {
    ObjectNode kept = json.createObjectNode();
    if (instance != null && instance.isObject()) {
      for (String field : fields) {
        JsonNode value = instance.get(field);
        if (value != null) {
          kept.set(field, bounded(value));
        }
      }
    }
    return kept;
  }

  /**
   * {@code value}, or in its place its size and SHA-256 when its JSON is over {@value
   * #MAX_VALUE_BYTES} bytes (a picture, a large tensor): the log stays small and a value can still
   * be matched to the original.
   */
  private JsonNode bounded(JsonNode value) {
    if (value.isNumber() || value.isBoolean() || value.isNull()) {
      return value;
    }
    byte[] text;
    try {
      text = json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      return json.getNodeFactory().textNode("(not writable as JSON)");
    }
    if (text.length <= MAX_VALUE_BYTES) {
      return value;
    }
    ObjectNode digest = json.createObjectNode();
    digest.put(
        "omitted", text.length + " bytes of JSON, over the " + MAX_VALUE_BYTES + "-byte limit");
    digest.put("sha256", io.triad.functions.model.Sha256.of(text));
    return digest;
  }

  private List<JsonNode> parsed(List<String> lines) {
    List<JsonNode> nodes = new ArrayList<>(lines.size());
    for (String line : lines) {
      try {
        nodes.add(json.readTree(line));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a payload line that was just written does not parse", e);
      }
    }
    return nodes;
  }

  /**
   * Writes what is waiting, one object per model (and a Parquet file beside it for a model with
   * {@code payloads.parquet}); a store fault is thrown after the rest.
   */
  public void flush() {
    Map<String, List<String>> batches;
    synchronized (this) {
      if (lines == 0) {
        return;
      }
      batches = new LinkedHashMap<>(waiting);
      waiting.clear();
      lines = 0;
      bytes = 0;
    }
    Instant now = Instant.now(clock);
    RuntimeException failed = null;
    for (Map.Entry<String, List<String>> batch : batches.entrySet()) {
      String key =
          BucketLayout.payloads(batch.getKey(), LocalDate.ofInstant(now, ZoneOffset.UTC))
              + TIME.format(now)
              + "-"
              + writer
              + "-"
              + sequence.incrementAndGet()
              + ".jsonl";
      try {
        store.put(
            key, (String.join("\n", batch.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
        if (settings.apply(batch.getKey()).parquet()) {
          store.put(
              key.substring(0, key.length() - ".jsonl".length()) + ".parquet",
              ParquetPayloads.write(parsed(batch.getValue())));
        }
      } catch (RuntimeException e) {
        log.warn(
            "{} payload lines of {} dropped: {} could not be written: {}",
            batch.getValue().size(),
            batch.getKey(),
            key,
            e.getMessage());
        failed = e;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      // logged in flush: the log never fails a request
    }
  }

  /** Writes what is waiting and stops the flushing thread. */
  @Override
  public void close() {
    if (flusher != null) {
      flusher.shutdownNow();
    }
    flushQuietly();
  }
}
