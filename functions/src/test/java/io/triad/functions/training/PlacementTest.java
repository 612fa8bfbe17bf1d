package io.triad.functions.training;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadJson;
import io.triad.functions.config.PlacementSettings;
import io.triad.functions.config.TriadProperties;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.functions.training.TrainingLaunchException.Refusal;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Placement: a model's training tried on each target in turn, spot before on demand where allowed,
 * or from the cheapest up by the price table, each refusal recorded. Through {@code onSchedule}
 * from the function catalog, with recording launchers for two clouds (the real ones submit batch
 * jobs; their refusals are classified in each adapter's own tests).
 */
class PlacementTest {
  private static final Instant TICK = Instant.parse("2026-12-05T02:30:00Z");
  private static final String VERSION = "20261205-023000";

  @TempDir Path bucket;

  @Test
  void targets_should_trySpotThenOnDemandPerTarget_when_spotIsAllowed() {
    PlacementSettings settings =
        new PlacementSettings(List.of("gcp/us-central1", "aws/us-east-1/on-demand"), true, null);

    assertThat(Placement.targets(settings, Map.of()))
        .extracting(PlacementTarget::toString)
        .containsExactly(
            "gcp/us-central1/spot", "gcp/us-central1/on-demand", "aws/us-east-1/on-demand");
    assertThat(Placement.targets(new PlacementSettings(settings.order(), false, null), Map.of()))
        .extracting(PlacementTarget::toString)
        .containsExactly("gcp/us-central1/on-demand", "aws/us-east-1/on-demand");
  }

  @Test
  void targets_should_orderThePriceTableCheapestFirst_when_cheapest() {
    TriadProperties.CostSettings cost =
        new TriadProperties.CostSettings(
            null,
            null,
            List.of(
                "aws/us-east-1/spot=0.25",
                "aws/us-east-1=0.587",
                "azure/northeurope/spot=0.18",
                "gcp/us-central1/on-demand=0.55"));

    assertThat(
            Placement.targets(new PlacementSettings(List.of("cheapest"), true, null), cost.table()))
        .extracting(PlacementTarget::toString)
        .containsExactly(
            "azure/northeurope/spot",
            "aws/us-east-1/spot",
            "gcp/us-central1/on-demand",
            "aws/us-east-1/on-demand");
    assertThat(
            Placement.targets(
                new PlacementSettings(List.of("cheapest"), false, null), cost.table()))
        .extracting(PlacementTarget::toString)
        .containsExactly("gcp/us-central1/on-demand", "aws/us-east-1/on-demand");
    assertThat(cost.hourlyAt(PlacementTarget.parse("aws/us-east-1"))).isEqualTo(0.587);
  }

  @Test
  void settings_should_refuseWhatIsNoTarget_when_readAtStart() {
    assertThatThrownBy(() -> new PlacementSettings(List.of("oracle/us-east-1"), false, null))
        .hasMessageContaining("aws, azure, gcp or local");
    assertThatThrownBy(() -> new PlacementSettings(List.of("aws/us-east-1/cheap"), false, null))
        .hasMessageContaining("/spot or /on-demand");
    assertThatThrownBy(
            () -> new PlacementSettings(List.of("cheapest", "aws/us-east-1"), false, null))
        .hasMessageContaining("either 'cheapest'");
    assertThatThrownBy(() -> new TriadProperties.CostSettings(null, null, List.of("aws/x=-1")))
        .hasMessageContaining("cloud/region/spot=USD");
  }

  @Test
  void onSchedule_should_moveToTheNextTarget_when_oneRefusesForCapacityOrQuota()
      throws IOException {
    // given GCP's spot and on-demand machines in us-central1 refused, and a cloud with no launcher
    RecordingTrainingLauncher gcp = new RecordingTrainingLauncher("gcp");
    RecordingTrainingLauncher aws = new RecordingTrainingLauncher("aws");
    gcp.refuseAt("gcp/us-central1/spot", Refusal.CAPACITY);
    gcp.refuseAt("gcp/us-central1/on-demand", Refusal.QUOTA);
    BlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(
            store,
            List.of(gcp, aws),
            "triad.catalog=iris",
            "triad.models.iris.placement.order=gcp/us-central1,azure/northeurope,aws/us-east-1",
            "triad.models.iris.placement.spot=true",
            "triad.cost.hourly=0.3",
            "triad.cost.prices=aws/us-east-1/spot=0.25,gcp/us-central1/spot=0.26")) {
      new TestModels(store).publishIris("1");
      store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));

      // when
      RetrainingReport report = onSchedule(context).apply(ScheduledTick.retrain("iris", TICK));

      // then: the job went to AWS's spot queue, the first target that took it
      assertThat(report.results()).singleElement().isInstanceOf(RetrainResult.Launched.class);
      assertThat(gcp.jobs()).isEmpty();
      TrainingJob job = aws.jobs().get(0);
      assertThat(job.placement()).hasToString("aws/us-east-1/spot");
      List<String> refused =
          List.of(
              "gcp/us-central1/spot:capacity",
              "gcp/us-central1/on-demand:quota",
              "azure/northeurope/spot:unavailable",
              "azure/northeurope/on-demand:unavailable");
      assertThat(job.refused()).isEqualTo(refused);
      assertThat(job.arguments())
          .containsSubsequence("--placement", "aws/us-east-1/spot")
          .containsSubsequence("--placement-refused", String.join(",", refused));

      // and launch.json says where and why, and prices the estimate there
      JsonNode launch =
          TriadJson.mapper()
              .readTree(store.read(BucketLayout.candidateDir("iris", VERSION) + "launch.json"));
      assertThat(launch.path("placement").path("target").asText()).isEqualTo("aws/us-east-1/spot");
      assertThat(launch.path("placement").path("refused"))
          .extracting(a -> a.path("target").asText() + ":" + a.path("refusal").asText())
          .isEqualTo(refused);
      assertThat(launch.path("placement").path("refused").get(0).path("reason").asText())
          .contains("refused the job");
      assertThat(launch.path("placement").path("refused").get(2).path("reason").asText())
          .contains("not on azure");
      assertThat(launch.path("cost").path("hourlyUsd").asDouble()).isEqualTo(0.25);
    }
  }

  @Test
  void onSchedule_should_failTheTickAndGiveTheClaimBack_when_everyTargetRefuses()
      throws IOException {
    // given
    RecordingTrainingLauncher gcp = new RecordingTrainingLauncher("gcp");
    gcp.refuseAt("gcp/us-central1/on-demand", Refusal.CAPACITY);
    gcp.refuseAt("gcp/europe-west4/on-demand", Refusal.SERVICE);
    BlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(
            store,
            List.of(gcp),
            "triad.catalog=iris",
            "triad.models.iris.placement.order=gcp/us-central1,gcp/europe-west4")) {
      store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));

      // when
      RetrainingReport report = onSchedule(context).apply(ScheduledTick.retrain("iris", TICK));

      // then: failed with both reasons, so the platform retries the tick, and nothing is claimed
      assertThat(report.results())
          .singleElement()
          .isInstanceOfSatisfying(
              RetrainResult.Failed.class,
              failed ->
                  assertThat(failed.reason())
                      .contains("no placement took the job")
                      .contains("gcp/us-central1/on-demand (capacity")
                      .contains("gcp/europe-west4/on-demand (service"));
      assertThat(store.exists(BucketLayout.candidateDir("iris", VERSION) + "launch.json"))
          .isFalse();

      // when the capacity is back, the retried tick submits the job
      gcp.refuseAt("gcp/us-central1/on-demand", null);
      RetrainingReport retried = onSchedule(context).apply(ScheduledTick.retrain("iris", TICK));
      assertThat(retried.results()).singleElement().isInstanceOf(RetrainResult.Launched.class);
      assertThat(gcp.jobs()).singleElement().extracting(TrainingJob::refused).isEqualTo(List.of());
    }
  }

  @Test
  void onSchedule_should_moveAJobThatWaitsForMachinesTooLong_when_aLaterTickFindsIt()
      throws IOException {
    // given us-central1 accepts jobs but has no machines for them
    RecordingTrainingLauncher gcp = new RecordingTrainingLauncher("gcp");
    gcp.hold("gcp/us-central1/on-demand");
    BlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext context =
        waitingFor30Minutes(store, gcp, "gcp/us-central1,gcp/europe-west4")) {
      Function<ScheduledTick, RetrainingReport> onSchedule = onSchedule(context);
      String launchKey = BucketLayout.candidateDir("iris", VERSION) + "launch.json";

      // when the first tick submits the job there, and the next comes 10 minutes later
      onSchedule.apply(ScheduledTick.retrain("iris", TICK));
      RetrainingReport early =
          onSchedule.apply(ScheduledTick.retrain("iris", TICK.plusSeconds(600)));

      // then the job is left to wait, and no second one joins it in the queue
      assertThat(early.results())
          .singleElement()
          .isInstanceOfSatisfying(
              RetrainResult.Skipped.class,
              skipped ->
                  assertThat(skipped.reason())
                      .contains("has waited 10 min for machines at gcp/us-central1/on-demand")
                      .contains("moves on after 30 min"));
      assertThat(gcp.jobs()).hasSize(1);

      // when a tick finds it still waiting after 40 minutes
      RetrainingReport late =
          onSchedule.apply(ScheduledTick.retrain("iris", TICK.plusSeconds(2400)));

      // then it is withdrawn and the same version submitted to the next target, the wait recorded
      assertThat(late.results())
          .containsExactly(
              new RetrainResult.Launched(
                  "iris", VERSION, "job-2", BucketLayout.candidateDir("iris", VERSION)));
      assertThat(gcp.cancelled()).containsExactly("job-1");
      TrainingJob moved = gcp.jobs().get(1);
      assertThat(moved.version()).isEqualTo(VERSION);
      assertThat(moved.placement()).hasToString("gcp/europe-west4/on-demand");
      assertThat(moved.refused()).containsExactly("gcp/us-central1/on-demand:capacity");
      JsonNode launch = TriadJson.mapper().readTree(store.read(launchKey));
      assertThat(launch.path("jobId").asText()).isEqualTo("job-2");
      assertThat(launch.path("placement").path("target").asText())
          .isEqualTo("gcp/europe-west4/on-demand");
      assertThat(launch.path("placement").path("refused").get(0).path("reason").asText())
          .contains("waited 40 min for machines (RUNNABLE); withdrawn");
      assertThat(launch.path("moved").get(0).path("jobId").asText()).isEqualTo("job-1");
      assertThat(launch.path("tick").asText()).isEqualTo(TICK.toString());

      // and a job that runs holds nothing back: the next tick trains a new version
      RetrainingReport next =
          onSchedule.apply(ScheduledTick.retrain("iris", TICK.plusSeconds(3000)));
      assertThat(next.results()).singleElement().isInstanceOf(RetrainResult.Launched.class);
      assertThat(gcp.jobs()).hasSize(3);
      assertThat(gcp.jobs().get(2).version()).isNotEqualTo(VERSION);
    }
  }

  @Test
  void onSchedule_should_moveAWaitingJobOnce_when_twoDeliveriesOfTheLateTickRunAtOnce()
      throws Exception {
    // given a job that waits, on a service that accepts a repeated withdrawal, and submissions
    // that take a while
    RecordingTrainingLauncher gcp = new RecordingTrainingLauncher("gcp");
    gcp.hold("gcp/us-central1/on-demand");
    gcp.acceptRepeatedWithdrawals();
    BlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext context =
        waitingFor30Minutes(store, gcp, "gcp/us-central1,gcp/europe-west4")) {
      Function<ScheduledTick, RetrainingReport> onSchedule = onSchedule(context);
      onSchedule.apply(ScheduledTick.retrain("iris", TICK));
      gcp.submitTakes(300);

      // when the tick that finds it waiting 40 minutes is delivered twice at once
      ScheduledTick late = ScheduledTick.retrain("iris", TICK.plusSeconds(2400));
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      List<RetrainResult> results = new java.util.ArrayList<>();
      try {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<RetrainingReport>> deliveries =
            List.of(
                pool.submit(
                    () -> {
                      start.await();
                      return onSchedule.apply(late);
                    }),
                pool.submit(
                    () -> {
                      start.await();
                      return onSchedule.apply(late);
                    }));
        start.countDown();
        for (java.util.concurrent.Future<RetrainingReport> delivery : deliveries) {
          results.addAll(delivery.get(30, java.util.concurrent.TimeUnit.SECONDS).results());
        }
      } finally {
        pool.shutdownNow();
      }

      // then one delivery withdraws it and submits its version; the other says so and submits
      // nothing (whether it came while the move was under way or after it)
      assertThat(gcp.jobs()).hasSize(2);
      assertThat(gcp.cancelled()).containsExactly("job-1");
      assertThat(results)
          .hasSize(2)
          .contains(
              new RetrainResult.Launched(
                  "iris", VERSION, "job-2", BucketLayout.candidateDir("iris", VERSION)))
          .anySatisfy(
              r ->
                  assertThat(r)
                      .isInstanceOfSatisfying(
                          RetrainResult.Skipped.class,
                          skipped ->
                              assertThat(skipped.reason())
                                  .startsWith("version " + VERSION)
                                  .contains(
                                      "moved from gcp/us-central1/on-demand by another"
                                          + " delivery")));
      // a later redelivery of that tick submits nothing either
      RetrainingReport again = onSchedule.apply(late);
      assertThat(again.results())
          .singleElement()
          .isInstanceOfSatisfying(
              RetrainResult.Skipped.class,
              skipped ->
                  assertThat(skipped.reason())
                      .isEqualTo(
                          "version "
                              + VERSION
                              + " was moved from gcp/us-central1/on-demand by another delivery"
                              + " (to gcp/europe-west4/on-demand)"));
      assertThat(gcp.jobs()).hasSize(2);
      // the claim names the job and the tick
      JsonNode claim =
          TriadJson.mapper()
              .readTree(
                  store.read(
                      BucketLayout.moveClaim(
                          BucketLayout.candidateDir("iris", VERSION),
                          0,
                          late.time().getEpochSecond())));
      assertThat(claim.path("jobId").asText()).isEqualTo("job-1");
    }
  }

  @Test
  void onSchedule_should_leaveAWaitingJobWhereItIs_when_noLaterTargetCouldTakeIt() {
    // given a job that waits in the last region this runtime can launch in
    RecordingTrainingLauncher gcp = new RecordingTrainingLauncher("gcp");
    gcp.hold("gcp/us-central1/on-demand");
    BlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext context =
        waitingFor30Minutes(store, gcp, "gcp/us-central1,aws/us-east-1")) {
      Function<ScheduledTick, RetrainingReport> onSchedule = onSchedule(context);
      onSchedule.apply(ScheduledTick.retrain("iris", TICK));

      // when a tick finds it still waiting after 40 minutes
      RetrainingReport late =
          onSchedule.apply(ScheduledTick.retrain("iris", TICK.plusSeconds(2400)));

      // then it is not withdrawn: AWS is no target a GCP function can launch on, and the job may
      // still get machines where it is
      assertThat(late.results())
          .singleElement()
          .isInstanceOfSatisfying(
              RetrainResult.Skipped.class,
              skipped ->
                  assertThat(skipped.reason())
                      .contains("waited 40 min for machines")
                      .contains(
                          "no later target can take it here ([aws/us-east-1/on-demand]), so it"
                              + " keeps waiting"));
      assertThat(gcp.cancelled()).isEmpty();
      assertThat(gcp.jobs()).hasSize(1);
    }
  }

  @Test
  void onSchedule_should_useTheRuntimesOwnLauncherAsConfigured_when_noPlacementIsNamed() {
    RecordingTrainingLauncher own = new RecordingTrainingLauncher("gcp");
    BlobStore store = new FileSystemBlobStore(bucket);
    try (ConfigurableApplicationContext context =
        TriadTestApp.start(store, List.of(own), "triad.catalog=iris")) {
      store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));

      onSchedule(context).apply(ScheduledTick.retrain("iris", TICK));

      assertThat(own.jobs()).singleElement().extracting(TrainingJob::placement).isNull();
      assertThat(own.jobs().get(0).arguments()).doesNotContain("--placement");
    }
  }

  /** Iris placed on {@code order}, moved after 30 minutes of waiting, with training data. */
  private static ConfigurableApplicationContext waitingFor30Minutes(
      BlobStore store, RecordingTrainingLauncher gcp, String order) {
    ConfigurableApplicationContext context =
        TriadTestApp.start(
            store,
            List.of(gcp),
            "triad.catalog=iris",
            "triad.models.iris.placement.order=" + order,
            "triad.models.iris.placement.max-wait=30m");
    store.put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(UTF_8));
    return context;
  }

  @SuppressWarnings("unchecked")
  private static Function<ScheduledTick, RetrainingReport> onSchedule(
      ConfigurableApplicationContext context) {
    return context.getBean(FunctionCatalog.class).lookup(Function.class, "onSchedule");
  }
}
