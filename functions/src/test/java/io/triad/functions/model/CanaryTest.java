package io.triad.functions.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.internal.pipeline.BatchScorer;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The canary alias through the real functions: its weight is the share of requests (and of whole
 * files) its version answers, chosen from each id, so a retry lands where the first attempt did; a
 * canary that cannot be served leaves production answering everything; removing it ends it.
 */
class CanaryTest {
  private static final int REQUESTS = 1000;

  @TempDir Path bucket;

  private static String predictVersion(InferenceApi api, String id) throws Exception {
    HttpAnswer answer =
        api.handle(
            new HttpCall(
                "POST",
                "/v1/models/iris:predict",
                Map.of("content-type", "application/json", "x-request-id", id),
                TestModels.oneFlower()));
    assertThat(answer.status()).as(new String(answer.body(), UTF_8)).isEqualTo(200);
    JsonNode body = TriadJson.mapper().readTree(answer.body());
    return body.get("model_version").asText();
  }

  /** Iris version 1 served, and version 2 (the weak model) beside it with no alias. */
  private FileSystemBlobStore twoVersions() {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    models.putIris("2", TestModels.weakIrisOnnx());
    return store;
  }

  private static void canary(FileSystemBlobStore store, String version, int weight) {
    store.put(
        BucketLayout.alias("iris", BucketLayout.CANARY),
        ("{\"version\":\"" + version + "\",\"weight\":" + weight + "}").getBytes(UTF_8));
  }

  @Test
  void requests_should_goToTheCanaryByItsWeight_andRetriesStayPut() throws Exception {
    FileSystemBlobStore store = twoVersions();
    canary(store, "2", 30);
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.catalog=iris",
            "triad.alias-refresh=50ms")) {
      InferenceApi api = app.getBean(InferenceApi.class);

      // when 1,000 requests with their own ids are answered, and each is retried once
      int canary = 0;
      for (int i = 0; i < REQUESTS; i++) {
        String version = predictVersion(api, "client-" + i);
        assertThat(version).isIn("1", "2");
        canary += version.equals("2") ? 1 : 0;
        assertThat(predictVersion(api, "client-" + i))
            .as("the retry of client-" + i)
            .isEqualTo(version);
      }

      // then the canary answered its share, within six standard deviations of the binomial
      double sd = Math.sqrt(REQUESTS * 0.3 * 0.7);
      assertThat((double) canary).isBetween(300 - 6 * sd, 300 + 6 * sd);

      // and the models' state says what this instance applies
      assertThat(
              TriadJson.mapper()
                  .readTree(api.handle(new HttpCall("GET", "/v2/models", Map.of(), null)).body())
                  .toString())
          .contains("\"canary\":{\"version\":\"2\",\"weight\":30}")
          .doesNotContain("\"shadow\"");

      // and once the alias is gone, production answers everything
      store.delete(BucketLayout.alias("iris", BucketLayout.CANARY));
      Thread.sleep(150);
      for (int i = 0; i < 100; i++) {
        assertThat(predictVersion(api, "after-" + i)).isEqualTo("1");
      }
    }
  }

  @Test
  void uploads_should_goToTheCanaryWhole() throws Exception {
    FileSystemBlobStore store = twoVersions();
    canary(store, "2", 50);
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      Function<ObjectCreated, Outcome> onObjectCreated =
          app.getBean(FunctionCatalog.class).lookup("onObjectCreated");
      int canary = 0;
      int files = 60;
      for (int i = 0; i < files; i++) {
        String key = "incoming/iris/file-" + i + ".csv";
        store.put(key, TestModels.incomingCsv(5, i).getBytes(UTF_8));
        Outcome outcome = onObjectCreated.apply(ObjectCreated.of(key));
        String output = ((Outcome.Written) outcome).outputs().get(0);
        String version = store.head(output).orElseThrow().metadata().get(BatchScorer.MODEL_VERSION);
        assertThat(version).isIn("1", "2");
        canary += version.equals("2") ? 1 : 0;
      }
      // every file is scored by one version (one lease per file); about half went to the canary
      double sd = Math.sqrt(files * 0.5 * 0.5);
      assertThat((double) canary).isBetween(30 - 6 * sd, 30 + 6 * sd);
    }
  }

  @Test
  void production_should_answerEverything_when_theCanaryCannotBeServed() throws Exception {
    FileSystemBlobStore store = twoVersions();
    // the canary's model file altered after it was signed
    store.put(BucketLayout.modelFile("iris", "2"), "not a model".getBytes(UTF_8));
    canary(store, "2", 100);
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      InferenceApi api = app.getBean(InferenceApi.class);
      for (int i = 0; i < 50; i++) {
        assertThat(predictVersion(api, "client-" + i)).isEqualTo("1");
      }
      assertThat(app.getBean(ModelRegistry.class).canary("iris")).isEmpty();
    }
  }

  @Test
  void production_should_answerEverything_when_theAliasIsHugeOrNotJson() throws Exception {
    FileSystemBlobStore store = twoVersions();
    // a valid alias padded past the 4 KB an alias may be
    store.put(
        BucketLayout.alias("iris", BucketLayout.CANARY),
        ("{\"version\":\"2\",\"weight\":100" + " ".repeat(5000) + "}").getBytes(UTF_8));
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.catalog=iris",
            "triad.alias-refresh=50ms")) {
      InferenceApi api = app.getBean(InferenceApi.class);
      for (int i = 0; i < 20; i++) {
        assertThat(predictVersion(api, "client-" + i)).isEqualTo("1");
      }
      store.put(BucketLayout.alias("iris", BucketLayout.CANARY), "{\"version\":".getBytes(UTF_8));
      Thread.sleep(150);
      for (int i = 0; i < 20; i++) {
        assertThat(predictVersion(api, "again-" + i)).isEqualTo("1");
      }
      assertThat(app.getBean(ModelRegistry.class).canary("iris")).isEmpty();
    }
  }

  @Test
  void share_should_beStableAndSpreadEvenly() {
    int[] buckets = new int[10];
    for (int i = 0; i < 100_000; i++) {
      double share = VersionShare.share("canary:id-" + i);
      assertThat(share).isBetween(0.0, 100.0).isEqualTo(VersionShare.share("canary:id-" + i));
      buckets[(int) (share / 10)]++;
    }
    for (int count : buckets) {
      // 10,000 expected per tenth; six standard deviations is 569
      assertThat(count).isBetween(10_000 - 569, 10_000 + 569);
    }
    assertThat(new VersionShare("2", 0).takes("any")).isFalse();
    assertThat(new VersionShare("2", 100).takes("any")).isTrue();
    assertThat(new VersionShare("2", 50).takes(null)).isFalse();
  }
}
