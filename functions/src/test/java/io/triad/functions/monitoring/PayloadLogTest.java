package io.triad.functions.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.RequestId;
import io.triad.functions.api.TriadJson;
import io.triad.functions.config.PayloadSettings;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Payload logging through the real API: a sampled {@code :predict} is written as JSON Lines under
 * {@code payloads/{m}/{day}/} with only the allowed fields beside each prediction; the sample is
 * decided by the request id, its share holds over many ids, memory is bounded by an early write,
 * and a store that refuses the write never fails a request.
 */
class PayloadLogTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir Path bucket;

  @Test
  void predict_should_logOnlyAllowedFieldsBesideThePredictions_when_theModelSamplesIt()
      throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext app = sampledIris(store)) {
      InferenceApi api = app.getBean(InferenceApi.class);

      // when two flowers are scored, one with a field that must stay private
      HttpAnswer answer =
          api.handle(
              new HttpCall(
                  "POST",
                  "/v1/models/iris:predict",
                  Map.of("Content-Type", "application/json", RequestId.HEADER, "req-1"),
                  ("{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,"
                          + "\"petal_width\":0.2,\"email\":\"ana@example.com\"},"
                          + "{\"sepal_length\":6.7,\"sepal_width\":3.0,\"petal_length\":5.2,"
                          + "\"petal_width\":2.3}]}")
                      .getBytes(StandardCharsets.UTF_8)));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(store.list("payloads/")).as("batched, not written per request").isEmpty();
      app.getBean(PayloadLog.class).flush();

      // then one object holds a line per flower
      List<BlobInfo> written = store.list("payloads/iris/");
      assertThat(written).hasSize(1);
      assertThat(written.get(0).key()).matches("payloads/iris/\\d{4}-\\d{2}-\\d{2}/.+\\.jsonl");
      List<JsonNode> lines =
          new String(store.read(written.get(0).key()), StandardCharsets.UTF_8)
              .lines()
              .map(PayloadLogTest::parse)
              .toList();
      assertThat(lines).hasSize(2);
      JsonNode first = lines.get(0);
      assertThat(first.get("request_id").asText()).isEqualTo("req-1");
      assertThat(first.get("model").asText()).isEqualTo("iris");
      assertThat(first.get("version").asText()).isEqualTo("1");
      assertThat(first.get("input").fieldNames())
          .toIterable()
          .containsExactly("sepal_length", "petal_length");
      assertThat(first.get("output").get("label").asText()).isEqualTo("setosa");
      assertThat(written.get(0).key()).doesNotContain("email");
      assertThat(new String(store.read(written.get(0).key()), StandardCharsets.UTF_8))
          .doesNotContain("ana@example.com", "sepal_width");
    }
  }

  @Test
  void upload_should_logItsRowsOnceItsPredictionsAreWritten_when_theModelSamplesIt()
      throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext app = sampledIris(store)) {
      java.util.function.Function<
              io.triad.functions.api.ObjectCreated, io.triad.functions.api.Outcome>
          onObjectCreated =
              app.getBean(org.springframework.cloud.function.context.FunctionCatalog.class)
                  .lookup("onObjectCreated");
      // given an upload with a column that must stay private
      String csv =
          TestModels.incomingCsv(5, 3)
              .lines()
              .map(line -> line + (line.startsWith("id,") ? ",email" : ",ana@example.com"))
              .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
      store.put("incoming/iris/u.csv", csv.getBytes(StandardCharsets.UTF_8));

      // when it is scored and the log flushed
      assertThat(
              onObjectCreated.apply(io.triad.functions.api.ObjectCreated.of("incoming/iris/u.csv")))
          .isInstanceOf(io.triad.functions.api.Outcome.Written.class);
      app.getBean(PayloadLog.class).flush();

      // then each row is a line, with the upload's id, the allowed fields and its prediction
      List<JsonNode> lines =
          store.list("payloads/iris/").stream()
              .flatMap(info -> new String(store.read(info.key()), StandardCharsets.UTF_8).lines())
              .map(PayloadLogTest::parse)
              .toList();
      assertThat(lines).hasSize(5);
      assertThat(lines)
          .allSatisfy(
              line -> {
                assertThat(line.get("source").asText()).isEqualTo("upload");
                assertThat(line.get("request_id").asText()).startsWith("upload-");
                assertThat(line.get("input").fieldNames())
                    .toIterable()
                    .containsExactly("sepal_length", "petal_length");
                assertThat(line.get("output").has("label")).isTrue();
                assertThat(line.toString()).doesNotContain("ana@example.com");
              });
    }
  }

  @Test
  void infer_should_logAllowedTensorsAndOutputs_andDigestWhatIsLarge_when_theModelSamplesIt()
      throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    new TestModels(store).publishIris("1");
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.catalog=iris",
            "triad.models.iris.payloads.rate=1",
            "triad.models.iris.payloads.fields=features,sepal_length,photo",
            "triad.payload-flush=1h")) {
      InferenceApi api = app.getBean(InferenceApi.class);
      // when a tensor request and a :predict with a field far over the size limit are answered
      HttpAnswer tensors =
          api.handle(
              new HttpCall(
                  "POST",
                  "/v2/models/iris/infer",
                  Map.of("Content-Type", "application/json", RequestId.HEADER, "tensors-1"),
                  ("{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\","
                          + "\"shape\":[2,4],\"data\":[5.1,3.5,1.4,0.2,6.9,3.1,5.4,2.1]}]}")
                      .getBytes(StandardCharsets.UTF_8)));
      String photo = "A".repeat(PayloadLog.MAX_VALUE_BYTES * 4);
      HttpAnswer records =
          api.handle(
              new HttpCall(
                  "POST",
                  "/v1/models/iris:predict",
                  Map.of("Content-Type", "application/json", RequestId.HEADER, "records-1"),
                  ("{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,"
                          + "\"petal_length\":1.4,\"petal_width\":0.2,\"photo\":\""
                          + photo
                          + "\"}]}")
                      .getBytes(StandardCharsets.UTF_8)));
      assertThat(tensors.status()).isEqualTo(200);
      assertThat(records.status()).isEqualTo(200);
      app.getBean(PayloadLog.class).flush();

      // then the tensor request is one line: its allowed input tensor and every output
      List<JsonNode> lines =
          store.list("payloads/iris/").stream()
              .flatMap(info -> new String(store.read(info.key()), StandardCharsets.UTF_8).lines())
              .map(PayloadLogTest::parse)
              .toList();
      JsonNode infer =
          lines.stream()
              .filter(l -> l.get("request_id").asText().equals("tensors-1"))
              .findFirst()
              .orElseThrow();
      assertThat(infer.at("/input/features/shape").toString()).isEqualTo("[2,4]");
      assertThat(infer.at("/input/features/data").size()).isEqualTo(8);
      assertThat(infer.at("/output/outputs").size()).isPositive();
      // and the large field is its size and digest, not its bytes
      JsonNode record =
          lines.stream()
              .filter(l -> l.get("request_id").asText().equals("records-1"))
              .findFirst()
              .orElseThrow();
      assertThat(record.at("/input/sepal_length").asDouble()).isEqualTo(5.1);
      assertThat(record.at("/input/photo/omitted").asText()).contains("over the 4096-byte limit");
      assertThat(record.at("/input/photo/sha256").asText())
          .isEqualTo(
              io.triad.functions.model.Sha256.of(
                  ("\"" + photo + "\"").getBytes(StandardCharsets.UTF_8)));
      assertThat(record.toString()).doesNotContain(photo.substring(0, 100));
    }
  }

  @Test
  void flush_should_writeParquetTheReferenceReaderReads_when_theModelAsksForIt() throws Exception {
    // given a model whose batches go out as Parquet too, and lines of every kind of value
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    try (PayloadLog payloads =
        new PayloadLog(
            store,
            JSON,
            Clock.systemUTC(),
            model -> new PayloadSettings(1.0, List.of("x", "name"), true),
            null)) {
      payloads.predicted(
          "m",
          "7",
          "req-a",
          List.of(
              JSON.createObjectNode().put("x", 1.5).put("name", "Zoë \"quoted\" 🌸"),
              JSON.createObjectNode().put("x", -2).put("secret", "kept out")),
          List.of(Map.of("label", "a", "p", 0.25), Map.of("label", "b")));
      payloads.predicted(
          "m", "7", "req-b", List.of(JSON.createObjectNode()), List.of(Map.of("label", "c")));

      // when the batch is written
      payloads.flush();

      // then beside the JSON Lines is a Parquet file with the same rows, read by parquet-hadoop
      List<BlobInfo> written = store.list("payloads/m/");
      assertThat(written).extracting(BlobInfo::key).anyMatch(k -> k.endsWith(".jsonl"));
      String jsonl =
          written.stream().map(BlobInfo::key).filter(k -> k.endsWith(".jsonl")).findFirst().get();
      String parquet = jsonl.replace(".jsonl", ".parquet");
      assertThat(store.exists(parquet)).isTrue();
      List<JsonNode> lines =
          new String(store.read(jsonl), StandardCharsets.UTF_8)
              .lines()
              .map(PayloadLogTest::parse)
              .toList();
      List<org.apache.parquet.example.data.Group> rows = readParquet(bucket.resolve(parquet));
      assertThat(rows).hasSize(3).hasSize(lines.size());
      for (int i = 0; i < rows.size(); i++) {
        org.apache.parquet.example.data.Group row = rows.get(i);
        JsonNode line = lines.get(i);
        for (String column : List.of("time", "request_id", "model", "version", "source")) {
          assertThat(row.getString(column, 0)).as(column).isEqualTo(line.get(column).asText());
        }
        assertThat(row.getLong("instance", 0)).isEqualTo(line.get("instance").asLong());
        assertThat(JSON.readTree(row.getString("input", 0))).isEqualTo(line.get("input"));
        assertThat(JSON.readTree(row.getString("output", 0))).isEqualTo(line.get("output"));
      }
      assertThat(rows.get(0).getString("input", 0)).contains("Zoë", "🌸");
      assertThat(rows.get(1).getString("input", 0)).doesNotContain("kept out");
    }
  }

  /** Every row of a Parquet file, read with the reference implementation. */
  private static List<org.apache.parquet.example.data.Group> readParquet(Path file)
      throws java.io.IOException {
    List<org.apache.parquet.example.data.Group> rows = new java.util.ArrayList<>();
    try (org.apache.parquet.hadoop.ParquetFileReader reader =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            new org.apache.parquet.io.LocalInputFile(file))) {
      org.apache.parquet.schema.MessageType schema =
          reader.getFooter().getFileMetaData().getSchema();
      assertThat(schema).isEqualTo(ParquetPayloads.SCHEMA);
      org.apache.parquet.column.page.PageReadStore group;
      while ((group = reader.readNextRowGroup()) != null) {
        var records =
            new org.apache.parquet.io.ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(
                    group,
                    new org.apache.parquet.example.data.simple.convert.GroupRecordConverter(
                        schema));
        for (long i = 0; i < group.getRowCount(); i++) {
          rows.add(records.read());
        }
      }
    }
    return rows;
  }

  @Test
  void sampled_should_takeItsShareByRequestId_andTheSameAnswerEachTime() {
    int taken = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String id = "request-" + i;
      boolean in = PayloadLog.sampled(id, 0.25);
      assertThat(PayloadLog.sampled(id, 0.25)).isEqualTo(in);
      taken += in ? 1 : 0;
    }
    // within six standard deviations of the binomial (sd = sqrt(n p (1-p)) = 61)
    assertThat(taken).isBetween(5000 - 370, 5000 + 370);
    assertThat(PayloadLog.sampled("any", 1.0)).isTrue();
    assertThat(PayloadLog.sampled("any", 0.0)).isFalse();
  }

  @Test
  void predicted_should_writeEarly_when_manyLinesWait_andDropNothingTheRequestNeeds() {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    try (PayloadLog payloads =
        new PayloadLog(
            store,
            JSON,
            Clock.systemUTC(),
            model -> new PayloadSettings(1.0, List.of("x"), false),
            null)) {
      List<JsonNode> instances =
          java.util.Collections.nCopies(100, JSON.createObjectNode().put("x", 1));
      List<Map<String, Object>> predictions =
          java.util.Collections.nCopies(100, Map.<String, Object>of("label", "a"));
      for (int i = 0; i < PayloadLog.MAX_LINES / 100; i++) {
        payloads.predicted("m", "1", "id-" + i, instances, predictions);
      }
      // the thousandth line wrote the batch without waiting for a flush
      assertThat(store.list("payloads/m/")).hasSize(1);

      // and a few large answers are written once their bytes, not their lines, add up
      for (int i = 0; i < 3; i++) {
        payloads.predicted(
            "m",
            "1",
            "large-" + i,
            List.of(JSON.createObjectNode().put("x", 1)),
            List.of(Map.of("label", "y".repeat(3 << 20))));
      }
      assertThat(store.list("payloads/m/")).hasSize(2);
    }
  }

  @Test
  void flush_should_dropTheLinesAndTellTheLog_when_theStoreRefuses() {
    io.triad.functions.testing.FaultyStore faulty =
        new io.triad.functions.testing.FaultyStore(new FileSystemBlobStore(bucket));
    PayloadLog payloads =
        new PayloadLog(
            faulty,
            JSON,
            Clock.systemUTC(),
            model -> new PayloadSettings(1.0, List.of(), false),
            Duration.ofHours(1));
    payloads.predicted("m", "1", "id", List.of(JSON.createObjectNode()), List.of(Map.of()));
    faulty.failWrites(key -> true);

    org.assertj.core.api.Assertions.assertThatThrownBy(payloads::flush)
        .isInstanceOf(RuntimeException.class);
    faulty.failWrites(key -> false);
    payloads.close();
    // nothing waits any more: the refused batch was dropped, not kept to grow without bound
    assertThat(new FileSystemBlobStore(bucket).list("payloads/")).isEmpty();
  }

  /**
   * The functions over {@code store} with iris published, every request and upload of it logged,
   * two fields allowed, and no timed flush (the tests flush).
   */
  private ConfigurableApplicationContext sampledIris(FileSystemBlobStore store) {
    new TestModels(store).publishIris("1");
    return TriadTestApp.start(
        bucket,
        new RecordingTrainingLauncher(),
        "triad.catalog=iris",
        "triad.models.iris.payloads.rate=1",
        "triad.models.iris.payloads.fields=sepal_length,petal_length",
        "triad.payload-flush=1h");
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError(line, e);
    }
  }
}
