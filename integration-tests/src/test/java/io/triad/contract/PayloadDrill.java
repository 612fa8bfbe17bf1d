package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payload logging on a runtime as it is deployed (the suite turns it on for iris, every request,
 * the four feature fields allowed): a {@code :predict} lands under {@code payloads/iris/} in the
 * runtime's own bucket, through its own store and permissions, with the allowed fields beside the
 * prediction and nothing else of the request.
 */
final class PayloadDrill {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The settings the suite starts every runtime with. */
  static final Map<String, String> SETTINGS =
      Map.of(
          "triad.models.iris.payloads.rate", "1",
          "triad.models.iris.payloads.fields", "sepal_length,sepal_width,petal_length,petal_width",
          "triad.payload-flush", "200ms");

  private PayloadDrill() {}

  static void run(RuntimeUnderTest runtime) throws Exception {
    // given a request with a field that must stay out of the log
    String id = "payload-drill-" + runtime.name() + "-" + System.nanoTime();
    Answer answer =
        runtime.send(
            new ContractRequest(
                "payload drill",
                "POST",
                "/v1/models/iris:predict",
                Map.of("Content-Type", "application/json", "x-request-id", id),
                ("{\"instances\":[{\"sepal_length\":5.9,\"sepal_width\":3.0,\"petal_length\":5.1,"
                        + "\"petal_width\":1.8,\"card_number\":\"4111111111111111\"}]}")
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(answer.status()).as("%s: the request itself", runtime.name()).isEqualTo(200);

    // when the runtime has written its batch
    Instant deadline = Instant.now().plus(WAIT);
    Optional<JsonNode> line = Optional.empty();
    while (line.isEmpty() && Instant.now().isBefore(deadline)) {
      line = find(runtime, id);
      if (line.isEmpty()) {
        Thread.sleep(100);
      }
    }

    // then the line is there, with the allowed fields and the prediction only
    assertThat(line)
        .as("%s: a payload line for %s under payloads/iris/", runtime.name(), id)
        .isPresent();
    JsonNode logged = line.get();
    assertThat(logged.get("model").asText()).isEqualTo("iris");
    assertThat(logged.get("input").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("sepal_length", "sepal_width", "petal_length", "petal_width");
    assertThat(logged.get("output").has("label")).isTrue();
    assertThat(logged.toString()).doesNotContain("4111111111111111", "card_number");
  }

  /** An upload in the sample: its rows land in the log with the allowed fields only. */
  static void upload(RuntimeUnderTest runtime) throws Exception {
    // given an upload with a column that must stay out of the log
    String key = "incoming/iris/payload-drill.csv";
    String csv =
        "id,sepal_length,sepal_width,petal_length,petal_width,card_number\n"
            + "1,7.77,3.33,6.66,2.22,4111111111111111\n"
            + "2,4.44,3.11,1.11,0.33,4111111111111111\n";
    runtime.bucket().put(key, csv.getBytes(StandardCharsets.UTF_8));

    // when the runtime is told of it
    runtime.announce(key);

    // then its two rows are logged as an upload's
    Instant deadline = Instant.now().plus(WAIT);
    List<JsonNode> rows = List.of();
    while (rows.size() < 2 && Instant.now().isBefore(deadline)) {
      rows = uploadLines(runtime);
      if (rows.size() < 2) {
        Thread.sleep(100);
      }
    }
    assertThat(rows).as("%s: the upload's rows under payloads/iris/", runtime.name()).hasSize(2);
    for (JsonNode row : rows) {
      assertThat(row.get("request_id").asText()).startsWith("upload-");
      assertThat(row.get("input").fieldNames())
          .toIterable()
          .containsExactlyInAnyOrder("sepal_length", "sepal_width", "petal_length", "petal_width");
      assertThat(row.toString()).doesNotContain("4111111111111111", "card_number");
    }
  }

  /** The lines of uploads (one upload is logged in this suite). */
  private static List<JsonNode> uploadLines(RuntimeUnderTest runtime) throws Exception {
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (BlobInfo object : runtime.bucket().list("payloads/iris/")) {
      for (String line :
          new String(runtime.bucket().read(object.key()), StandardCharsets.UTF_8).split("\n")) {
        // this drill's rows, by their unusual values (every iris upload of the suite is logged)
        if (line.contains("\"source\":\"upload\"")
            && (line.contains("\"sepal_length\":\"7.77\"")
                || line.contains("\"sepal_length\":\"4.44\""))) {
          lines.add(JSON.readTree(line));
        }
      }
    }
    return lines;
  }

  private static Optional<JsonNode> find(RuntimeUnderTest runtime, String id) throws Exception {
    List<BlobInfo> objects = runtime.bucket().list("payloads/iris/");
    for (BlobInfo object : objects) {
      String text = new String(runtime.bucket().read(object.key()), StandardCharsets.UTF_8);
      if (text.contains(id)) {
        for (String line : text.split("\n")) {
          if (line.contains(id)) {
            return Optional.of(JSON.readTree(line));
          }
        }
      }
    }
    return Optional.empty();
  }
}
