package io.triad.functions.monitoring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.functions.training.RetrainResult;
import io.triad.functions.training.RetrainingReport;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The scheduled drift check through the real schedule function: a tick reads the served version's
 * payload log of that day and the day before, writes {@code served-drift-{day}}, and a model that
 * retrains {@code on-drift} is retrained only when its served inputs drifted.
 */
class ServedDriftTest {
  private static final Instant TICK = Instant.parse("2026-12-05T06:00:00Z");
  private static final LocalDate DAY = LocalDate.parse("2026-12-05");

  @TempDir Path bucket;

  private ConfigurableApplicationContext start(
      FileSystemBlobStore store, RecordingTrainingLauncher launcher, String retrain) {
    new TestModels(store).publishIris("1");
    store.put("data/iris/train.csv", TestModels.labelledCsv(10, 3).getBytes(UTF_8));
    return TriadTestApp.start(
        bucket,
        launcher,
        "triad.catalog=iris",
        "triad.models.iris.payloads.rate=1",
        "triad.models.iris.payloads.fields=sepal_length,sepal_width,petal_length,petal_width",
        "triad.models.iris.retrain=" + retrain);
  }

  private static RetrainResult tick(ConfigurableApplicationContext app) {
    Function<ScheduledTick, RetrainingReport> onSchedule =
        app.getBean(FunctionCatalog.class).lookup("onSchedule");
    return onSchedule.apply(ScheduledTick.retrain("iris", TICK)).results().get(0);
  }

  private static JsonNode report(FileSystemBlobStore store) throws Exception {
    String key = BucketLayout.servedDriftReport("iris", "1", DAY) + ".json";
    assertThat(store.exists(key)).as(key).isTrue();
    assertThat(store.exists(BucketLayout.servedDriftReport("iris", "1", DAY) + ".html")).isTrue();
    return TriadJson.mapper().readTree(store.read(key));
  }

  @Test
  void tick_should_retrain_when_whatWasServedDrifted() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    RecordingTrainingLauncher launcher = new RecordingTrainingLauncher();
    try (ConfigurableApplicationContext app = start(store, launcher, "on-drift")) {
      // given a day of grown flowers served by version 1, logged the day before the tick
      String grown =
          TestModels.labelledCsv(20, 7)
              .lines()
              .map(line -> line.startsWith("sepal") ? line : DriftFixtures.grow(line))
              .collect(Collectors.joining("\n", "", "\n"));
      store.put(
          BucketLayout.payloads("iris", DAY.minusDays(1)) + "batch-1.jsonl",
          TestModels.payloadLines(grown, "iris", "1").getBytes(UTF_8));

      // when the schedule fires
      RetrainResult result = tick(app);

      // then the check saw drift, said so, and the tick retrained
      JsonNode report = report(store);
      assertThat(report.get("drifted").asBoolean()).as(report.toPrettyString()).isTrue();
      assertThat(report.get("rows").asLong()).isEqualTo(60);
      assertThat(report.get("source").asText()).startsWith("payloads/iris/");
      assertThat(result).isInstanceOf(RetrainResult.Launched.class);
      assertThat(launcher.jobs()).hasSize(1);
    }
  }

  @Test
  void tick_should_skip_when_whatWasServedDidNotDrift() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    RecordingTrainingLauncher launcher = new RecordingTrainingLauncher();
    try (ConfigurableApplicationContext app = start(store, launcher, "on-drift")) {
      // given flowers like the training ones, and lines another version answered (not counted)
      store.put(
          BucketLayout.payloads("iris", DAY) + "batch-1.jsonl",
          (TestModels.payloadLines(TestModels.labelledCsv(20, 7), "iris", "1")
                  + TestModels.payloadLines(TestModels.labelledCsv(5, 9), "iris", "0")
                  + "{\"cut short")
              .getBytes(UTF_8));

      RetrainResult result = tick(app);

      JsonNode report = report(store);
      assertThat(report.get("drifted").asBoolean()).as(report.toPrettyString()).isFalse();
      assertThat(report.get("rows").asLong()).isEqualTo(60);
      assertThat(result).isInstanceOf(RetrainResult.Skipped.class);
      assertThat(((RetrainResult.Skipped) result).reason())
          .contains("retrains on drift", "60 rows", "show none");
      assertThat(launcher.jobs()).isEmpty();
    }
  }

  @Test
  void tick_should_skipWithTheReason_when_nothingWasServed() {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    RecordingTrainingLauncher launcher = new RecordingTrainingLauncher();
    try (ConfigurableApplicationContext app = start(store, launcher, "on-drift")) {
      RetrainResult result = tick(app);

      assertThat(result).isInstanceOf(RetrainResult.Skipped.class);
      assertThat(((RetrainResult.Skipped) result).reason())
          .contains("nothing served was checked", "holds nothing of version 1");
      assertThat(launcher.jobs()).isEmpty();
    }
  }

  @Test
  void tick_should_checkAndStillRetrain_when_theModelRetrainsAlways() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    RecordingTrainingLauncher launcher = new RecordingTrainingLauncher();
    try (ConfigurableApplicationContext app = start(store, launcher, "always")) {
      store.put(
          BucketLayout.payloads("iris", DAY) + "batch-1.jsonl",
          TestModels.payloadLines(TestModels.labelledCsv(20, 7), "iris", "1").getBytes(UTF_8));

      RetrainResult result = tick(app);

      assertThat(report(store).get("drifted").asBoolean()).isFalse();
      assertThat(result).isInstanceOf(RetrainResult.Launched.class);
    }
  }
}
