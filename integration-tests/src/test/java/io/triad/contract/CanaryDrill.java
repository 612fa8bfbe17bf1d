package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.internal.pipeline.BatchScorer;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A canary on a runtime as it is deployed: with {@code models/iris/aliases/canary} naming a second
 * version at 30%, 1,000 requests with their own ids split within six standard deviations of the
 * binomial, a retry is answered by the version that answered the first attempt, an upload is scored
 * whole by one version (its output's metadata names which), and removing the alias ends it. The
 * alias goes again however the drill ends, so the rest of the suite sees production alone.
 */
final class CanaryDrill {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final String CANARY = "77";
  private static final int REQUESTS = 1000;
  private static final int WEIGHT = 30;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private CanaryDrill() {}

  static void run(RuntimeUnderTest runtime) throws Exception {
    String where = runtime.name();
    String alias = BucketLayout.alias("iris", BucketLayout.CANARY);
    // given a second iris version, named by the canary alias at 30%
    new TestModels(runtime.bucket()).putIris(CANARY, TestModels.weakIrisOnnx());
    runtime
        .bucket()
        .put(
            alias,
            ("{\"version\":\"" + CANARY + "\",\"weight\":" + WEIGHT + "}")
                .getBytes(StandardCharsets.UTF_8));
    try {
      awaitAnswering(runtime, CANARY);

      // when 1,000 clients ask once each, and every tenth asks again
      int canary = 0;
      for (int i = 0; i < REQUESTS; i++) {
        String id = "canary-drill-" + where + "-" + i;
        String version = version(runtime, id);
        assertThat(version).as("%s: %s", where, id).isIn("1", CANARY);
        canary += version.equals(CANARY) ? 1 : 0;
        if (i % 10 == 0) {
          assertThat(version(runtime, id)).as("%s: the retry of %s", where, id).isEqualTo(version);
        }
      }

      // then the canary answered its weight's share
      double sd = Math.sqrt(REQUESTS * (WEIGHT / 100.0) * (1 - WEIGHT / 100.0));
      assertThat((double) canary)
          .as("%s: requests the canary answered of %d", where, REQUESTS)
          .isBetween(REQUESTS * WEIGHT / 100.0 - 6 * sd, REQUESTS * WEIGHT / 100.0 + 6 * sd);

      // and an upload is scored whole by one of the two, which its output names
      String name = "canary-drill-" + where + ".csv";
      String key = BucketLayout.incoming("iris") + name;
      runtime.bucket().put(key, TestModels.incomingCsv(20, 5).getBytes(StandardCharsets.UTF_8));
      runtime.announce(key);
      String output = BucketLayout.predictions("iris", name, false);
      Instant deadline = Instant.now().plus(WAIT);
      while (runtime.bucket().head(output).isEmpty() && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(runtime.bucket().head(output))
          .as("%s: %s", where, output)
          .hasValueSatisfying(
              info -> assertThat(info.metadata().get(BatchScorer.MODEL_VERSION)).isIn("1", CANARY));
    } finally {
      runtime.bucket().delete(alias);
    }
    // then, the alias gone, production answers everyone
    awaitOnly(runtime, "1");
  }

  /** The version that answered a one-row {@code :predict} with request id {@code id}. */
  private static String version(RuntimeUnderTest runtime, String id) throws Exception {
    Answer answer =
        runtime.send(
            new ContractRequest(
                "canary drill",
                "POST",
                "/v1/models/iris:predict",
                Map.of("Content-Type", "application/json", "x-request-id", id),
                TestModels.oneFlower()));
    assertThat(answer.status())
        .as("%s: %s: %s", runtime.name(), id, new String(answer.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    return JSON.readTree(answer.body()).get("model_version").asText();
  }

  /** Waits until some request is answered by {@code version} (the alias was read). */
  private static void awaitAnswering(RuntimeUnderTest runtime, String version) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    for (int i = 0; Instant.now().isBefore(deadline); i++) {
      if (version(runtime, "canary-wait-" + i).equals(version)) {
        return;
      }
    }
    throw new AssertionError(runtime.name() + ": the canary never answered" + runtime.logTail());
  }

  /** Waits until 50 requests in a row are answered by {@code version}. */
  private static void awaitOnly(RuntimeUnderTest runtime, String version) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    int inRow = 0;
    for (int i = 0; inRow < 50; i++) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            runtime.name() + ": the canary kept answering after its alias went");
      }
      inRow = version(runtime, "canary-after-" + i).equals(version) ? inRow + 1 : 0;
    }
  }
}
