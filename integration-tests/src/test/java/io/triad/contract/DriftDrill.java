package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A labelled upload on a runtime as it is deployed: besides its evaluation, the version's drift
 * report lands under {@code monitoring/iris/1/} through the runtime's own store and permissions,
 * and flowers drawn as the training ones were do not drift.
 */
final class DriftDrill {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private DriftDrill() {}

  static void run(RuntimeUnderTest runtime) throws Exception {
    // given labelled flowers from the training distribution
    String key = "labelled/iris/drift-drill.csv";
    runtime.bucket().put(key, TestModels.labelledCsv(20, 9).getBytes(StandardCharsets.UTF_8));

    // when the runtime is told of the upload
    runtime.announce(key);

    // then a drift report appears beside the version, and it found no drift
    Instant deadline = Instant.now().plus(WAIT);
    List<BlobInfo> reports = List.of();
    while (reports.isEmpty() && Instant.now().isBefore(deadline)) {
      reports =
          runtime.bucket().list("monitoring/iris/1/").stream()
              .filter(info -> info.key().endsWith(".json"))
              .toList();
      if (reports.isEmpty()) {
        Thread.sleep(100);
      }
    }
    assertThat(reports)
        .as(
            () ->
                runtime.name()
                    + ": no drift report under monitoring/iris/1/; failed/: "
                    + runtime.bucket().list("failed/")
                    + "\n"
                    + runtime.logTail())
        .isNotEmpty();
    JsonNode report = JSON.readTree(runtime.bucket().read(reports.get(0).key()));
    assertThat(report.get("drifted").asBoolean()).as(report.toPrettyString()).isFalse();
    assertThat(report.get("rows").asLong()).isEqualTo(60);
    assertThat(runtime.bucket().exists(reports.get(0).key().replace(".json", ".html"))).isTrue();
  }
}
