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
