package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.rollout.Rollouts;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rollouts decided by a runtime as it is deployed, with its own store and its own permissions: a
 * canary that fails on live traffic is rolled back by the runtime itself (its alias removed, the
 * decision under {@code rollouts/iris/}) while every request production answers succeeds; a
 * promotion that fails is moved back to its parent. Each runtime checks every {@value #CHECK}.
 */
final class RolloutDrill {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final String CHECK = "300ms";
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The settings the suite starts every runtime with. */
  static final Map<String, String> SETTINGS = Map.of("triad.rollout-check", CHECK);

  private RolloutDrill() {}

  /** A canary whose model fails at run time, at 50%. */
  static void failingCanary(RuntimeUnderTest runtime) throws Exception {
    String where = runtime.name();
    String version = "66";
    String alias = BucketLayout.alias("iris", BucketLayout.CANARY);
    new TestModels(runtime.bucket()).putIris(version, TestModels.brokenIrisOnnx());
    Instant named = Instant.now();
    runtime
        .bucket()
        .put(
            alias,
            ("{\"version\":\"" + version + "\",\"weight\":50}").getBytes(StandardCharsets.UTF_8));
    try {
      // when clients keep asking until the canary is gone and 30 answers in a row are production's
      int production = 0;
      int failed = 0;
      int inRow = 0;
      Instant deadline = Instant.now().plus(WAIT);
      for (int i = 0; inRow < 30; i++) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError(
              where
                  + ": the failing canary was not rolled back ("
                  + failed
                  + " failures seen)"
                  + runtime.logTail());
        }
        Answer answer = predict(runtime, "rollout-drill-" + where + "-" + i);
        if (answer.status() == 200) {
          // then every request production answers succeeds
          assertThat(JSON.readTree(answer.body()).path("model_version").asText())
              .as("%s: a successful answer", where)
              .isEqualTo("1");
          production++;
          inRow = runtime.bucket().exists(alias) ? 0 : inRow + 1;
        } else {
          assertThat(answer.status())
              .as("%s: %s", where, new String(answer.body(), StandardCharsets.UTF_8))
              .isEqualTo(400);
          failed++;
          inRow = 0;
        }
      }
      assertThat(production).as("%s: answered by production", where).isPositive();
      assertThat(failed).as("%s: failures of the canary", where).isGreaterThanOrEqualTo(3);

      // and the runtime wrote what it decided, and why
      JsonNode decision = decision(runtime, "canary", version, named);
      assertThat(decision.path("action").asText()).isEqualTo("roll-back");
      assertThat(decision.path("productionAfter").asText()).isEqualTo("1");
      assertThat(decision.path("reason").asText()).contains("requests failed");
      assertThat(decision.path("figures").path("failures").asInt())
          .as("%s: failures counted", where)
          .isBetween(3, failed);
      assertThat(runtime.bucket().exists(alias)).isFalse();
    } finally {
      runtime.bucket().delete(alias);
    }
  }

  /** A fresh promotion, trained from version 1, whose model fails at run time. */
  static void failingPromotion(RuntimeUnderTest runtime) throws Exception {
    String where = runtime.name();
    String version = "67";
    String production = BucketLayout.alias("iris", BucketLayout.PRODUCTION);
    TestModels models = new TestModels(runtime.bucket());
    models.putIrisChild(version, TestModels.brokenIrisOnnx(), "1");
    Instant promoted = Instant.now();
    models.promote("iris", version);
    try {
      // when clients keep asking until production answers 30 in a row again
      int inRow = 0;
      int failed = 0;
      Instant deadline = Instant.now().plus(WAIT);
      for (int i = 0; inRow < 30; i++) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError(
              where + ": the failing promotion was not rolled back" + runtime.logTail());
        }
        Answer answer = predict(runtime, "promotion-drill-" + where + "-" + i);
        if (answer.status() == 200) {
          assertThat(JSON.readTree(answer.body()).path("model_version").asText()).isEqualTo("1");
          // counted once the promotion was served: before the alias is read, 1 still answers
          inRow = failed > 0 ? inRow + 1 : 0;
        } else {
          failed++;
          inRow = 0;
        }
      }
      // then production is its parent again, marked as a rollback, with the decision written
      assertThat(new String(runtime.bucket().read(production), StandardCharsets.UTF_8).trim())
          .isEqualTo("1");
      assertThat(runtime.bucket().head(production).orElseThrow().metadata())
          .as("%s: the restored alias's metadata", where)
          .containsEntry(Rollouts.ROLLOUT_METADATA, "rollback");
      JsonNode decision = decision(runtime, "promotion", version, promoted);
      assertThat(decision.path("productionBefore").asText()).isEqualTo(version);
      assertThat(decision.path("figures").path("failures").asInt()).isBetween(3, failed);
    } finally {
      models.promote("iris", "1");
    }
  }

  private static Answer predict(RuntimeUnderTest runtime, String id) throws Exception {
    return runtime.send(
        new ContractRequest(
            "rollout drill",
            "POST",
            "/v1/models/iris:predict",
            Map.of("Content-Type", "application/json", "x-request-id", id),
            TestModels.oneFlower()));
  }

  /** The one decision about {@code version} of that {@code kind}, written after {@code since}. */
  private static JsonNode decision(
      RuntimeUnderTest runtime, String kind, String version, Instant since) throws Exception {
    String prefix = BucketLayout.ROLLOUTS + "iris/";
    List<JsonNode> found = new ArrayList<>();
    for (BlobInfo blob : runtime.bucket().list(prefix)) {
      if (blob.key().substring(prefix.length()).contains("/")) {
        continue;
      }
      JsonNode decision = JSON.readTree(runtime.bucket().read(blob.key()));
      if (decision.path("kind").asText().equals(kind)
          && decision.path("version").asText().equals(version)
          && !Instant.parse(decision.path("decidedAt").asText()).isBefore(since.minusSeconds(5))) {
        found.add(decision);
      }
    }
    assertThat(found)
        .as("%s: %s decisions about version %s", runtime.name(), kind, version)
        .hasSize(1);
    return found.get(0);
  }
}
