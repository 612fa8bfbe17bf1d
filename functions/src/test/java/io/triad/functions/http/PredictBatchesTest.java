package io.triad.functions.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@code :predict} body larger than a micro-batch is scored batch by batch: the same answer, in
 * order, as one batch, and an error names the instance by its place in the whole body.
 */
class PredictBatchesTest {
  private static final String ROW =
      "{\"sepal_length\":%s,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}";

  @TempDir Path bucket;

  private static String body(int n, int broken) {
    StringBuilder body = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "" : ",")
          .append(String.format(ROW, i == broken ? "\"x\"" : 4 + i * 0.4));
    }
    return body.append("]}").toString();
  }

  private static HttpAnswer predict(InferenceApi api, String body) {
    return api.handle(
        new HttpCall(
            "POST",
            "/v1/models/iris:predict",
            Map.of("Content-Type", "application/json"),
            body.getBytes(UTF_8)));
  }

  @Test
  void predict_should_answerAsOneBatch_when_theBodyIsScoredInMicroBatches() throws Exception {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    JsonNode batched;
    JsonNode whole;
    HttpAnswer broken;
    try (ConfigurableApplicationContext small =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.micro-batch-rows=2")) {
      InferenceApi api = small.getBean(InferenceApi.class);
      batched = TriadJson.mapper().readTree(predict(api, body(7, -1)).body());
      broken = predict(api, body(7, 5));
    }
    try (ConfigurableApplicationContext large =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher())) {
      whole =
          TriadJson.mapper()
              .readTree(predict(large.getBean(InferenceApi.class), body(7, -1)).body());
    }

    // then 7 instances in batches of 2 answer exactly as in one batch, version included
    assertThat(batched.get("predictions")).hasSize(7);
    assertThat(batched).isEqualTo(whole);
    // and a bad value in the third batch is named by its place in the whole body
    assertThat(broken.status()).isEqualTo(422);
    assertThat(new String(broken.body(), UTF_8)).contains("instances[5].sepal_length");
  }
}
