package io.triad.functions.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Shadow traffic through the real functions: with a shadow alias at 100%, every answer is the one
 * production gives without it, byte for byte, and every request is also run on the shadow version
 * and counted as agreeing or not with what production answered.
 */
class ShadowTest {
  private static final int REQUESTS = 60;

  @TempDir Path bucket;

  private static HttpAnswer predict(InferenceApi api, String id, int i) {
    return api.handle(
        new HttpCall(
            "POST",
            "/v1/models/iris:predict",
            Map.of("content-type", "application/json", "x-request-id", id),
            TestModels.flowerOnTheLine(i, REQUESTS)));
  }

  @Test
  void shadow_should_neverChangeAnAnswer_andCountEveryCopy() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    models.putIris("77", TestModels.weakIrisOnnx());
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.catalog=iris",
            "triad.alias-refresh=50ms")) {
      InferenceApi api = app.getBean(InferenceApi.class);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      app.getBean(TriadMetrics.class).registry().add(meters);
      // given what production answers with no shadow
      List<String> before = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        before.add(new String(predict(api, "r-" + i, i).body(), UTF_8));
      }

      // when a shadow is shown every request
      store.put(
          BucketLayout.alias("iris", BucketLayout.SHADOW),
          "{\"version\":\"77\",\"weight\":100}".getBytes(UTF_8));
      Thread.sleep(150);
      List<String> after = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpAnswer answer = predict(api, "r-" + i, i);
        assertThat(answer.status()).isEqualTo(200);
        after.add(new String(answer.body(), UTF_8));
      }
      assertThat(app.getBean(Shadows.class).drain(10_000)).isTrue();

      assertThat(
              new String(
                  api.handle(new HttpCall("GET", "/v2/models", Map.of(), null)).body(), UTF_8))
          .contains("\"shadow\":{\"version\":\"77\",\"weight\":100}");

      // then the answers are production's, unchanged, and every copy was compared
      assertThat(after).isEqualTo(before);
      double agree = count(meters, "agree");
      double disagree = count(meters, "disagree");
      assertThat(agree + disagree).isEqualTo(REQUESTS);
      assertThat(disagree).as("the weak version disagrees somewhere on the line").isPositive();
      assertThat(count(meters, "error") + count(meters, "dropped")).isZero();
    }
  }

  private static double count(SimpleMeterRegistry meters, String outcome) {
    var timer =
        meters
            .find(TriadMetrics.SHADOW)
            .tags("model", "iris", "version", "77", "outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void agree_should_compareClassesOrValues() {
    assertThat(
            Shadows.agree(
                List.of(Map.of("label", "a", "probability", 0.9)),
                List.of(Map.of("label", "a", "probability", 0.6))))
        .isTrue();
    assertThat(Shadows.agree(List.of(Map.of("label", "a")), List.of(Map.of("label", "b"))))
        .isFalse();
    assertThat(
            Shadows.agree(
                List.of(Map.of("y", new float[] {1f, 2f})),
                List.of(Map.of("y", new float[] {1f, 2.0000001f}))))
        .isTrue();
    assertThat(
            Shadows.agree(
                List.of(Map.of("y", new float[] {1f})), List.of(Map.of("y", new float[] {2f}))))
        .isFalse();
    assertThat(Shadows.agree(List.of(Map.of("label", "a")), List.of())).isFalse();
  }
}
