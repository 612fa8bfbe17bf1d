package io.triad.functions.rollout;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.http.Shadows;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Rollouts decided from live figures through the real functions, the checks run by hand: a canary
 * that fails is rolled back while production answers every request routed to it; a sound one is
 * promoted once it has answered enough, and not before; one that disagrees with production in its
 * shadow copies is rolled back; a fresh promotion that fails or drifts goes back to its parent,
 * once; a decision claimed but not carried out (a crash) is carried out by the next check.
 */
class RolloutTest {
  private static final String CANARY_ALIAS = BucketLayout.alias("iris", BucketLayout.CANARY);
  private static final String PRODUCTION_ALIAS =
      BucketLayout.alias("iris", BucketLayout.PRODUCTION);

  @TempDir Path bucket;

  private ConfigurableApplicationContext start(String... extra) {
    List<String> settings = new ArrayList<>();
    settings.add("triad.catalog=iris");
    settings.add("triad.alias-refresh=20ms");
    // checked by hand below
    settings.add("triad.rollout-check=0s");
    settings.addAll(List.of(extra));
    return TriadTestApp.start(
        bucket, new RecordingTrainingLauncher(), settings.toArray(String[]::new));
  }

  private static HttpAnswer predict(InferenceApi api, String id, int i, int n) {
    return api.handle(
        new HttpCall(
            "POST",
            "/v1/models/iris:predict",
            Map.of("content-type", "application/json", "x-request-id", id),
            TestModels.flowerOnTheLine(i, n)));
  }

  private static String version(HttpAnswer answer) throws Exception {
    return TriadJson.mapper().readTree(answer.body()).path("model_version").asText(null);
  }

  private static void alias(FileSystemBlobStore store, String alias, String version, int weight) {
    store.put(
        BucketLayout.alias("iris", alias),
        ("{\"version\":\"" + version + "\",\"weight\":" + weight + "}").getBytes(UTF_8));
  }

  /**
   * Iris 1 in production and {@code model} as version 2, named by the canary alias at {@code
   * weight}.
   */
  private FileSystemBlobStore canary(byte[] model, int weight) {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    models.putIris("2", model);
    alias(store, BucketLayout.CANARY, "2", weight);
    return store;
  }

  /** Iris 1, then {@code model} as version 2, trained from 1, promoted just now. */
  private FileSystemBlobStore promoted(byte[] model) {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    models.putIrisChild("2", model, "1");
    models.promote("iris", "2");
    return store;
  }

  /** The decisions written under rollouts/iris/ (not the live figures, not the claims). */
  private static List<JsonNode> decisions(FileSystemBlobStore store) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String prefix = BucketLayout.ROLLOUTS + "iris/";
    for (BlobInfo blob : store.list(prefix)) {
      if (!blob.key().substring(prefix.length()).contains("/")) {
        out.add(TriadJson.mapper().readTree(store.read(blob.key())));
      }
    }
    return out;
  }

  private static String production(FileSystemBlobStore store) {
    return new String(store.read(PRODUCTION_ALIAS), UTF_8).trim();
  }

  private static int figure(RolloutDecision decision, String name) {
    return ((Number) decision.figures().get(name)).intValue();
  }

  @Test
  void failingCanary_should_beRolledBack_whileProductionAnswersItsShare() throws Exception {
    FileSystemBlobStore store = canary(TestModels.brokenIrisOnnx(), 50);
    try (ConfigurableApplicationContext app = start()) {
      InferenceApi api = app.getBean(InferenceApi.class);
      Rollouts rollouts = app.getBean(Rollouts.class);
      int production = 0;
      int failed = 0;
      for (int i = 0; i < 40; i++) {
        HttpAnswer answer = predict(api, "c-" + i, i, 40);
        if (answer.status() == 200) {
          assertThat(version(answer)).isEqualTo("1");
          production++;
        } else {
          // the broken canary's answer says what failed, never a class name
          assertThat(answer.status()).isEqualTo(400);
          assertThat(new String(answer.body(), UTF_8))
              .contains("cannot run")
              .doesNotContain("Exception");
          failed++;
        }
      }
      assertThat(production).isPositive();
      assertThat(failed).isGreaterThanOrEqualTo(3);

      // when the rollout is checked
      List<RolloutDecision> decided = rollouts.check();

      // then the canary is rolled back, production untouched, and the decision written with its
      // figures: every request routed to the canary failed, and no other counted against it
      assertThat(decided).hasSize(1);
      RolloutDecision decision = decided.get(0);
      assertThat(decision.kind()).isEqualTo(RolloutDecision.CANARY);
      assertThat(decision.action()).isEqualTo(RolloutDecision.ROLL_BACK);
      assertThat(decision.reason()).startsWith(failed + " of " + failed + " requests failed");
      assertThat(figure(decision, "failures")).isEqualTo(failed);
      assertThat(figure(decision, "requests")).isEqualTo(failed);
      assertThat(store.exists(CANARY_ALIAS)).isFalse();
      assertThat(production(store)).isEqualTo("1");
      List<JsonNode> written = decisions(store);
      assertThat(written).hasSize(1);
      assertThat(written.get(0).path("action").asText()).isEqualTo("roll-back");
      assertThat(written.get(0).path("version").asText()).isEqualTo("2");
      assertThat(written.get(0).path("productionAfter").asText()).isEqualTo("1");
      assertThat(written.get(0).path("bounds").path("maxErrorRate").asDouble()).isEqualTo(0.01);

      // and production answers everything again
      Thread.sleep(60);
      for (int i = 0; i < 40; i++) {
        HttpAnswer answer = predict(api, "c-" + i, i, 40);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(version(answer)).isEqualTo("1");
      }
      // and a later check decides nothing more
      assertThat(rollouts.check()).isEmpty();
      assertThat(decisions(store)).hasSize(1);
    }
  }

  @Test
  void soundCanary_should_bePromoted_onlyAfterItsRequests() throws Exception {
    FileSystemBlobStore store = canary(TestModels.irisOnnx(), 50);
    try (ConfigurableApplicationContext app =
        start(
            "triad.models.iris.rollout.min-requests=60",
            "triad.models.iris.rollout.min-duration=0s")) {
      InferenceApi api = app.getBean(InferenceApi.class);
      Rollouts rollouts = app.getBean(Rollouts.class);
      int i = 0;
      for (; i < 30; i++) {
        assertThat(predict(api, "s-" + i, i, 200).status()).isEqualTo(200);
      }
      // fewer than 60 requests on the canary: nothing decided
      assertThat(rollouts.check()).isEmpty();
      assertThat(store.exists(CANARY_ALIAS)).isTrue();
      for (; i < 200; i++) {
        assertThat(predict(api, "s-" + i, i, 200).status()).isEqualTo(200);
      }
      List<RolloutDecision> decided = rollouts.check();
      assertThat(decided).hasSize(1);
      assertThat(decided.get(0).action()).isEqualTo(RolloutDecision.PROMOTE);
      assertThat(decided.get(0).productionAfter()).isEqualTo("2");
      assertThat(figure(decided.get(0), "requests")).isGreaterThanOrEqualTo(60);
      assertThat(production(store)).isEqualTo("2");
      assertThat(store.head(PRODUCTION_ALIAS).orElseThrow().metadata())
          .containsEntry(Rollouts.ROLLOUT_METADATA, "promoted");
      assertThat(store.exists(CANARY_ALIAS)).isFalse();
      Thread.sleep(60);
      assertThat(version(predict(api, "after", 0, 1))).isEqualTo("2");
    }
  }

  @Test
  void canaryDisagreeingInItsShadowCopies_should_beRolledBack() throws Exception {
    FileSystemBlobStore store = canary(TestModels.weakIrisOnnx(), 20);
    alias(store, BucketLayout.SHADOW, "2", 100);
    try (ConfigurableApplicationContext app = start()) {
      InferenceApi api = app.getBean(InferenceApi.class);
      for (int i = 0; i < 90; i++) {
        assertThat(predict(api, "d-" + i, i, 90).status()).isEqualTo(200);
      }
      assertThat(app.getBean(Shadows.class).drain(10_000)).isTrue();
      List<RolloutDecision> decided = app.getBean(Rollouts.class).check();
      assertThat(decided).hasSize(1);
      assertThat(decided.get(0).action()).isEqualTo(RolloutDecision.ROLL_BACK);
      assertThat(decided.get(0).reason()).startsWith("shadow agreement");
      assertThat(store.exists(CANARY_ALIAS)).isFalse();
    }
  }

  @Test
  void failingPromotion_should_goBackToItsParent_once() throws Exception {
    FileSystemBlobStore store = promoted(TestModels.brokenIrisOnnx());
    try (ConfigurableApplicationContext app = start()) {
      InferenceApi api = app.getBean(InferenceApi.class);
      Rollouts rollouts = app.getBean(Rollouts.class);
      for (int i = 0; i < 5; i++) {
        assertThat(predict(api, "p-" + i, i, 5).status()).isEqualTo(400);
      }
      List<RolloutDecision> decided = rollouts.check();
      assertThat(decided).hasSize(1);
      assertThat(decided.get(0).kind()).isEqualTo(RolloutDecision.PROMOTION);
      assertThat(decided.get(0).productionBefore()).isEqualTo("2");
      assertThat(decided.get(0).productionAfter()).isEqualTo("1");
      assertThat(production(store)).isEqualTo("1");
      assertThat(store.head(PRODUCTION_ALIAS).orElseThrow().metadata())
          .containsEntry(Rollouts.ROLLOUT_METADATA, "rollback");
      Thread.sleep(60);
      HttpAnswer answer = predict(api, "p-after", 0, 1);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(version(answer)).isEqualTo("1");
      // the parent restored is not watched in turn: nothing more is decided
      assertThat(rollouts.check()).isEmpty();
    }
  }

  @Test
  void promotionThatDrifted_should_goBackToItsParent() throws Exception {
    FileSystemBlobStore store = promoted(TestModels.irisOnnx());
    try (ConfigurableApplicationContext app = start()) {
      InferenceApi api = app.getBean(InferenceApi.class);
      assertThat(predict(api, "q", 0, 1).status()).isEqualTo(200);
      Rollouts rollouts = app.getBean(Rollouts.class);
      assertThat(rollouts.check()).isEmpty();
      // a drift check of the payload log after the promotion found drift
      Thread.sleep(5);
      store.put(
          BucketLayout.servedDriftReport("iris", "2", LocalDate.now(ZoneOffset.UTC)) + ".json",
          "{\"model\":\"iris\",\"version\":\"2\",\"drifted\":true}".getBytes(UTF_8));
      List<RolloutDecision> decided = rollouts.check();
      assertThat(decided).hasSize(1);
      assertThat(decided.get(0).reason()).startsWith("drift found since the promotion");
      assertThat(decided.get(0).productionAfter()).isEqualTo("1");
      assertThat(production(store)).isEqualTo("1");
    }
  }

  @Test
  void claimedDecision_should_beCarriedOutByTheNextCheck() throws Exception {
    FileSystemBlobStore store = canary(TestModels.irisOnnx(), 50);
    long named = store.head(CANARY_ALIAS).orElseThrow().lastModified().toEpochMilli();
    // an instance claimed a rollback and stopped before it wrote the record or removed the alias
    Instant decidedAt = Instant.parse("2026-01-02T03:04:05.678Z");
    RolloutDecision claimed =
        new RolloutDecision(
            "iris",
            RolloutDecision.CANARY,
            RolloutDecision.ROLL_BACK,
            "2",
            "1",
            "1",
            "5 of 5 requests failed",
            Instant.ofEpochMilli(named),
            decidedAt,
            "crashed",
            Map.of("requests", 5, "failures", 5),
            Map.of(),
            BucketLayout.rolloutDecision("iris", decidedAt));
    store.put(
        BucketLayout.rolloutClaim("iris", RolloutDecision.CANARY, "2", named),
        TriadJson.mapper().writeValueAsBytes(claimed));
    try (ConfigurableApplicationContext app = start()) {
      assertThat(app.getBean(Rollouts.class).check()).isEmpty();
      assertThat(store.exists(CANARY_ALIAS)).isFalse();
      List<JsonNode> written = decisions(store);
      assertThat(written).hasSize(1);
      assertThat(written.get(0).path("decidedBy").asText()).isEqualTo("crashed");
      assertThat(store.exists("rollouts/iris/20260102T030405.678Z.json")).isTrue();
    }
  }
}
