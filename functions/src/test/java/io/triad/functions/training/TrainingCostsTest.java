package io.triad.functions.training;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadJson;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Training costs: an estimate before each launch (the last job's hours, or the setting before any),
 * the job's runtime × price when its candidate arrives, and the month's summary made from every job
 * filed; with no price, hours are kept and the dollars say they are unknown.
 */
class TrainingCostsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-05T09:00:00Z"), ZoneOffset.UTC);
  private static final YearMonth MONTH = YearMonth.of(2026, 12);

  @TempDir Path bucket;

  private static void trained(
      FileSystemBlobStore store, String version, long millis, Double estimate) {
    String dir = BucketLayout.candidateDir("iris", version);
    store.put(
        dir + BucketLayout.TRAINING_REPORT_FILE,
        ("{\"model\":\"iris\",\"version\":\""
                + version
                + "\",\"devices\":[\"gpu(0)\"],"
                + "\"millis\":{\"train\":"
                + (millis - 1000)
                + ",\"total\":"
                + millis
                + "}}")
            .getBytes(UTF_8));
    store.put(
        dir + BucketLayout.LAUNCH_FILE,
        ("{\"model\":\"iris\",\"version\":\""
                + version
                + "\",\"jobId\":\"job-"
                + version
                + "\",\"launched\":\"2026-12-05T08:00:00Z\",\"cost\":{\"usd\":"
                + estimate
                + "}}")
            .getBytes(UTF_8));
  }

  private JsonNode summary(FileSystemBlobStore store) throws Exception {
    return TriadJson.mapper().readTree(store.read(BucketLayout.costSummary("iris", MONTH)));
  }

  @Test
  void jobs_should_beEstimatedThenCostedAndSummedByMonth() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TrainingCosts costs =
        new TrainingCosts(
            store, TriadJson.mapper(), new TriadProperties.CostSettings(0.25, 1.0, null), CLOCK);

    // before any job: the setting's hours at the price
    Map<String, Object> first = costs.estimate("iris");
    assertThat(first).containsEntry("hours", 1.0).containsEntry("usd", 0.25);
    assertThat((String) first.get("basis")).contains("triad.cost.hours");

    // a job of 1.5 h arrives
    trained(store, "2", 5_400_000, 0.25);
    Map<String, Object> job = costs.record("iris", "2").orElseThrow();
    assertThat(job)
        .containsEntry("hours", 1.5)
        .containsEntry("usd", 0.375)
        .containsEntry("jobId", "job-2");
    assertThat(store.exists(BucketLayout.costRecord("iris", MONTH, "2"))).isTrue();

    // the next estimate is the last job's runtime
    Map<String, Object> next = costs.estimate("iris");
    assertThat(next).containsEntry("hours", 1.5).containsEntry("usd", 0.375);
    assertThat((String) next.get("basis")).contains("version 2");

    // a second job of half an hour: the month sums both
    trained(store, "3", 1_800_000, 0.375);
    costs.record("iris", "3");
    JsonNode month = summary(store);
    assertThat(month.path("jobs").asInt()).isEqualTo(2);
    assertThat(month.path("hours").asDouble()).isEqualTo(2.0);
    assertThat(month.path("usd").asDouble()).isEqualTo(0.5);
    assertThat(month.path("estimatedUsd").asDouble()).isEqualTo(0.625);
    assertThat(month.path("lastVersion").asText()).isEqualTo("3");

    // the same candidate delivered again files the same record, not a third job
    costs.record("iris", "3");
    assertThat(summary(store).path("jobs").asInt()).isEqualTo(2);
  }

  @Test
  void unpricedJobs_should_keepTheirHours_andSayTheDollarsAreUnknown() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TrainingCosts costs =
        new TrainingCosts(
            store, TriadJson.mapper(), new TriadProperties.CostSettings(null, null, null), CLOCK);
    assertThat(costs.estimate("iris")).containsEntry("usd", null).containsKey("unpriced");
    trained(store, "2", 3_600_000, null);
    assertThat(costs.record("iris", "2").orElseThrow())
        .containsEntry("hours", 1.0)
        .containsEntry("usd", null);
    assertThat(summary(store).path("usd").isNull()).isTrue();
    assertThat(summary(store).path("hours").asDouble()).isEqualTo(1.0);
    // a candidate made by hand (no training report) is no job
    assertThat(costs.record("iris", "9")).isEmpty();
  }

  @Test
  void functions_should_estimateAtLaunch_andCostTheCandidateWhenItArrives() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    TestModels models = new TestModels(store);
    models.publishIris("1");
    store.put(BucketLayout.trainingData("iris"), TestModels.labelledCsv(10, 1).getBytes(UTF_8));
    RecordingTrainingLauncher launcher = new RecordingTrainingLauncher();
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, launcher, "triad.catalog=iris", "triad.cost.hourly=0.5")) {
      FunctionCatalog catalog = app.getBean(FunctionCatalog.class);
      Function<ScheduledTick, RetrainingReport> onSchedule = catalog.lookup("onSchedule");
      onSchedule.apply(new ScheduledTick(List.of("iris"), Instant.now()));
      assertThat(launcher.jobs()).hasSize(1);
      String version = launcher.jobs().get(0).version();
      JsonNode launch =
          TriadJson.mapper()
              .readTree(
                  store.read(
                      BucketLayout.candidateDir("iris", version) + BucketLayout.LAUNCH_FILE));
      assertThat(launch.path("cost").path("usd").asDouble()).isEqualTo(0.5);

      // the job writes its candidate: its report first, the manifest last
      String dir = BucketLayout.candidateDir("iris", version);
      store.put(
          dir + BucketLayout.TRAINING_REPORT_FILE,
          "{\"millis\":{\"total\":7200000}}".getBytes(UTF_8));
      Function<ObjectCreated, Outcome> onObjectCreated = catalog.lookup("onObjectCreated");
      onObjectCreated.apply(ObjectCreated.of(models.candidateIris(version, TestModels.irisOnnx())));

      YearMonth month = YearMonth.now(ZoneOffset.UTC);
      JsonNode job =
          TriadJson.mapper().readTree(store.read(BucketLayout.costRecord("iris", month, version)));
      assertThat(job.path("hours").asDouble()).isEqualTo(2.0);
      assertThat(job.path("usd").asDouble()).isEqualTo(1.0);
      assertThat(job.path("estimate").path("usd").asDouble()).isEqualTo(0.5);
      assertThat(store.exists(BucketLayout.costSummary("iris", month))).isTrue();
    }
  }
}
