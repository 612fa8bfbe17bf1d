package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.testing.OtlpReceiver;
import io.triad.functions.testing.TestModels;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shadow traffic on a runtime as it is deployed: with {@code models/iris/aliases/shadow} naming a
 * second version at 100%, every answer is byte for byte what production gave before the shadow
 * existed, and the runtime's own metrics (through the suite's collector) count the copies it ran on
 * the shadow. The alias goes again however the drill ends.
 */
final class ShadowDrill {
  private static final String SHADOW = "78";
  private static final int REQUESTS = 40;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ShadowDrill() {}

  static void run(RuntimeUnderTest runtime, OtlpReceiver collector) throws Exception {
    String where = runtime.name();
    String alias = BucketLayout.alias("iris", BucketLayout.SHADOW);
    new TestModels(runtime.bucket()).putIris(SHADOW, TestModels.weakIrisOnnx());
    // given what production answers with no shadow
    List<String> before = answers(runtime, "shadow-drill-" + where);
    runtime
        .bucket()
        .put(
            alias,
            ("{\"version\":\"" + SHADOW + "\",\"weight\":100}").getBytes(StandardCharsets.UTF_8));
    try {
      // when the same requests are sent with a shadow shown every one (after the alias is read)
      Thread.sleep(RuntimeContractIT.ALIAS_REFRESH_MILLIS * 3);
      List<String> after = answers(runtime, "shadow-drill-" + where);

      // then not one answer changed
      assertThat(after).as("%s: answers with a shadow", where).isEqualTo(before);
      // and the runtime counted the copies it ran on the shadow
      assertThat(
              collector.awaitPoints(
                  point ->
                      point.metric().equals(TriadMetrics.SHADOW)
                          && point.service().startsWith("triad-" + where)
                          && SHADOW.equals(point.attributes().get("version"))
                          && List.of("agree", "disagree")
                              .contains(point.attributes().get("outcome")),
                  WAIT))
          .as("%s: %s over OTLP%s", where, TriadMetrics.SHADOW, runtime.logTail())
          .isNotEmpty();
    } finally {
      runtime.bucket().delete(alias);
    }
  }

  private static List<String> answers(RuntimeUnderTest runtime, String prefix) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      Answer answer =
          runtime.send(
              new ContractRequest(
                  "shadow drill",
                  "POST",
                  "/v1/models/iris:predict",
                  Map.of("Content-Type", "application/json", "x-request-id", prefix + "-" + i),
                  TestModels.flowerOnTheLine(i, REQUESTS)));
      assertThat(answer.status()).as("%s: request %d", runtime.name(), i).isEqualTo(200);
      bodies.add(new String(answer.body(), StandardCharsets.UTF_8));
    }
    return bodies;
  }
}
