package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The AWS handler's metrics, read back from what it writes at the end of each invocation: Embedded
 * Metric Format lines that meet the specification's rules ({@link EmfSpec}), carrying the request,
 * its phases and the model load under their tags, and nothing again for an invocation that moved
 * nothing.
 */
class EmfMetricsTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir Path bucket;

  @Test
  void handleRequest_should_writeEmfLinesForWhatMoved_when_aFunctionUrlRequestIsAnswered()
      throws Exception {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(
            bucket, new RecordingTrainingLauncher(), "TRIAD_BUCKET=b", "triad.catalog=iris")) {
      LambdaEntry http =
          new LambdaEntry(
              FunctionRole.HTTP, context, new PrintStream(lines, true, StandardCharsets.UTF_8));
      lines.reset(); // what priming at init wrote belongs to the init, not to the request

      // when a :predict arrives through the function URL
      invoke(http, "/events/aws/function-url/predict-records.json");
      List<JsonNode> first = documents(lines);
      lines.reset();
      // and then a request that is not one, which moves the request counters again
      invoke(http, "/events/aws/function-url/metadata.json");
      List<JsonNode> second = documents(lines);

      // then the prediction's request and its four phases are there, by the version that answered
      assertThat(names(first))
          .contains("triad.requests", "triad.request.phase")
          .doesNotContain("triad.request.errors");
      JsonNode request = byName(first, "triad.requests");
      assertThat(request.get("model").asText()).isEqualTo("iris");
      assertThat(request.get("version").asText()).isEqualTo("1");
      assertThat(request.get("route").asText()).isEqualTo("predict");
      assertThat(request.get("status").asText()).isEqualTo("200");
      assertThat(request.get("triad.requests").asDouble()).isPositive();
      assertThat(
              first.stream().filter(d -> d.has("phase")).map(d -> d.get("phase").asText()).toList())
          .containsExactlyInAnyOrder("decode", "preprocess", "predict", "postprocess");
      // the second invocation writes only what it moved: one request, no phase
      assertThat(names(second)).containsExactly("triad.requests");
      assertThat(byName(second, "triad.requests").get("route").asText()).isEqualTo("model");
    }
  }

  private static void invoke(LambdaEntry handler, String event) throws Exception {
    try (InputStream in = EmfMetricsTest.class.getResourceAsStream(event)) {
      handler.handleRequest(in, new ByteArrayOutputStream(), null);
    }
  }

  /** Every line parsed, each checked against the specification. */
  private static List<JsonNode> documents(ByteArrayOutputStream out) throws Exception {
    List<JsonNode> documents = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode root = JSON.readTree(line);
      assertThat(EmfSpec.problems(line, root)).as(line).isEmpty();
      assertThat(root.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Triad");
      documents.add(root);
    }
    return documents;
  }

  private static List<String> names(List<JsonNode> documents) {
    return documents.stream()
        .map(d -> d.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText())
        .distinct()
        .toList();
  }

  private static JsonNode byName(List<JsonNode> documents, String name) {
    return documents.stream()
        .filter(d -> d.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
