package io.triad.functions.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness and {@code GET /v2/models} tell the truth about every configured model: one that is
 * still training its first version, one whose alias names a version that is not there, one whose
 * manifest is cut short, one never trained, beside iris that serves.
 */
class ModelStatesTest {
  @TempDir Path bucket;

  private static HttpAnswer get(InferenceApi api, String path) {
    return api.handle(new HttpCall("GET", path, Map.of(), new byte[0]));
  }

  private static JsonNode json(HttpAnswer answer) throws Exception {
    return TriadJson.mapper().readTree(answer.body());
  }

  @Test
  void ready_should_say503NamingEachModel_when_oneTrainsAndOthersAreBroken() throws Exception {
    // given iris served; penguins training (launched, progress written, no candidate yet);
    // digits' alias naming a version that is not there; wine's manifest cut short; moons untrained
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    store.put(
        BucketLayout.candidateDir("penguins", "20261204-1200") + BucketLayout.LAUNCH_FILE,
        "{\"jobId\": \"local-42\"}".getBytes(UTF_8));
    store.put(
        BucketLayout.candidateDir("penguins", "20261204-1200") + BucketLayout.PROGRESS_FILE,
        "{\"text\": \"epoch 2/5 loss 0.41 elapsed 0:12 eta 0:18\"}".getBytes(UTF_8));
    models.promote("digits", "7");
    models.publish("wine", "1", TestModels.irisOnnx());
    store.put(BucketLayout.manifest("wine", "1"), "{\"name\": \"wi".getBytes(UTF_8));
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.catalog=iris,penguins,digits,wine,moons")) {
      InferenceApi api = context.getBean(InferenceApi.class);

      // when readiness and the model list are asked for
      HttpAnswer ready = get(api, "/v2/health/ready");
      JsonNode list = json(get(api, "/v2/models")).get("models");

      // then the server is not ready, and says which model holds it and why
      assertThat(ready.status()).isEqualTo(503);
      String why = json(ready).get("error").asText();
      assertThat(why).contains("penguins: still training", "epoch 2/5", "digits:", "wine:");
      assertThat(why).doesNotContain("iris:", "moons:");

      // and every model is listed with its state
      Map<String, String> states = new java.util.TreeMap<>();
      list.forEach(m -> states.put(m.get("name").asText(), m.get("state").asText()));
      assertThat(states)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "iris", "ready",
                  "penguins", "training",
                  "digits", "unavailable",
                  "wine", "unavailable",
                  "moons", "untrained"));
      JsonNode penguins =
          list.findParents("name").stream()
              .filter(m -> m.get("name").asText().equals("penguins"))
              .findFirst()
              .orElseThrow();
      assertThat(penguins.at("/training/job").asText()).isEqualTo("local-42");
      assertThat(penguins.at("/training/progress/text").asText()).startsWith("epoch 2/5");

      // and the model still training says so, instead of "no such model"
      HttpAnswer training = get(api, "/v2/models/penguins");
      assertThat(training.status()).isEqualTo(503);
      assertThat(json(training).get("error").asText()).contains("still training");

      // and iris serves whatever the others' state
      assertThat(get(api, "/v2/models/iris/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void ready_should_say200_when_everyServedModelServesAndNoneTrains() throws Exception {
    // given iris served and moons never trained
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris,moons")) {
      // then the server is ready: a model nobody trains holds nothing
      HttpAnswer ready = get(context.getBean(InferenceApi.class), "/v2/health/ready");
      assertThat(ready.status()).isEqualTo(200);
    }
  }
}
