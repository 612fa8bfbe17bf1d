package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.MetricNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The lines the GCP functions write for the stack's log-based metrics, read back: one JSON object a
 * line, each naming a metric of {@link MetricNames} with exactly that metric's tags as string
 * fields and a number, what infra's log-based metrics filter on and extract (GcpStackTest holds the
 * stack to the same list); a flush that follows no work writes nothing.
 */
class LogMetricsTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir Path bucket;

  @Test
  void flush_should_writeALineForEachThingCountedOrTimed_asTheLogBasedMetricsReadThem()
      throws Exception {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      LogMetrics metrics =
          new LogMetrics(
              context.getBean(TriadMetrics.class),
              JSON,
              new PrintStream(out, true, StandardCharsets.UTF_8));
      InferenceApi api = context.getBean(InferenceApi.class);

      // when a :predict is answered and the entry flushes
      api.handle(
          new HttpCall(
              "POST",
              "/v1/models/iris:predict",
              Map.of("Content-Type", "application/json"),
              "{\"instances\":[[5.1,3.5,1.4,0.2]]}".getBytes(StandardCharsets.UTF_8)));
      metrics.flush();
      List<JsonNode> lines = parse(out);
      out.reset();
      metrics.flush();

      // then each line is a metric the stack defines, with its tags and a number
      Set<String> names = new HashSet<>();
      for (JsonNode line : lines) {
        MetricNames.Metric metric =
            MetricNames.ALL.stream()
                .filter(m -> m.name().equals(line.path(MetricNames.LINE_NAME).asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("not a defined metric: " + line));
        names.add(metric.name());
        assertThat(line.path("severity").asText()).isEqualTo("INFO");
        assertThat(line.path(MetricNames.LINE_VALUE).isNumber()).as(line.toString()).isTrue();
        for (String tag : metric.tags()) {
          assertThat(line.path(tag).isTextual()).as("%s in %s", tag, line).isTrue();
        }
      }
      assertThat(names).contains(MetricNames.REQUESTS.name(), MetricNames.PHASES.name());
      assertThat(lines)
          .filteredOn(
              line -> line.path(MetricNames.LINE_NAME).asText().equals("triad.request.phase"))
          .extracting(line -> line.path("phase").asText())
          .containsExactlyInAnyOrder("decode", "preprocess", "predict", "postprocess");
      assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing moved since").isEmpty();
    }
  }

  private static List<JsonNode> parse(ByteArrayOutputStream out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
