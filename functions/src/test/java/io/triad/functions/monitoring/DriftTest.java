package io.triad.functions.monitoring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drift on every labelled evaluation, through the real functions: iris data from the distribution
 * the version trained on does not trip it; the same flowers with their petals and sepals grown
 * does, feature by feature, with the report beside the version and the verdict in the metrics.
 */
class DriftTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir Path bucket;

  @Test
  void evaluation_should_seeDriftInShiftedIrisOnly() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    new TestModels(store).publishIris("1");
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      app.getBean(TriadMetrics.class).registry().add(meters);
      Function<ObjectCreated, Outcome> onObjectCreated =
          app.getBean(FunctionCatalog.class).lookup("onObjectCreated");

      // given flowers drawn as the training ones were, and the same flowers grown
      String same = TestModels.labelledCsv(20, 7);
      String grown =
          same.lines()
              .map(line -> line.startsWith("sepal") ? line : DriftFixtures.grow(line))
              .collect(Collectors.joining("\n", "", "\n"));

      // when each is uploaded for evaluation
      JsonNode unshifted = drift(store, onObjectCreated, "labelled/iris/same.csv", same);
      JsonNode shifted = drift(store, onObjectCreated, "labelled/iris/grown.csv", grown);

      // then only the grown flowers drifted, in the features that grew
      assertThat(unshifted.get("drifted").asBoolean()).as(unshifted.toPrettyString()).isFalse();
      assertThat(shifted.get("drifted").asBoolean()).as(shifted.toPrettyString()).isTrue();
      assertThat(DriftFixtures.verdict(shifted, "petal_length")).isTrue();
      assertThat(DriftFixtures.verdict(shifted, "sepal_length")).isTrue();
      assertThat(DriftFixtures.verdict(shifted, "species")).as("the labels did not move").isFalse();
      assertThat(shifted.at("/features/0/test").asText()).isEqualTo("K-S p-value");
      assertThat(meters.get(TriadMetrics.DRIFT).tags("verdict", "drift").counter().count())
          .isEqualTo(1);
      assertThat(meters.get(TriadMetrics.DRIFT).tags("verdict", "none").counter().count())
          .isEqualTo(1);
    }
  }

  private static JsonNode drift(
      FileSystemBlobStore store,
      Function<ObjectCreated, Outcome> onObjectCreated,
      String key,
      String csv)
      throws Exception {
    store.put(key, csv.getBytes(UTF_8));
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(key));
    assertThat(outcome).isInstanceOf(Outcome.Written.class);
    String report =
        ((Outcome.Written) outcome)
            .outputs().stream()
                .filter(k -> k.startsWith("monitoring/iris/1/drift-") && k.endsWith(".json"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no drift report in " + outcome));
    assertThat(store.exists(report.replace(".json", ".html"))).isTrue();
    return JSON.readTree(store.read(report));
  }
}
