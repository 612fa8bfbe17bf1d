package io.triad.contract;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole retraining loop on each runtime ({@link RetrainingLoop}): the schedule tick through the
 * runtime's own entry point, the job submitted where that runtime submits it, the real trainer run
 * as a child process, the candidate announced as the platform announces it, the gate's verdict, and
 * the serving function that was running all along answering with the promoted version.
 *
 * <p>The cloud batch services cannot run here, so the clouds' jobs go to test doubles that take the
 * real launchers' requests and run the trainer as the service would run its container ({@link
 * FakeAwsBatch}, {@link FakeAzureBatch}, {@link FakeCloudBatch}, the last through a staging
 * directory because its GCS is in this JVM's memory); the local runtime needs none. The runtimes
 * are set up for the loop (their own models, schedules and batch settings), so they are not the
 * contract suite's.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RetrainingLoopIT {
  private static final String BUCKET = "triad-loop";

  @TempDir static Path work;
  private static final List<RetrainingUnderTest> runtimes = new ArrayList<>();

  @BeforeAll
  static void startEveryRuntime() throws Exception {
    System.setProperty("triad.alias-refresh", RuntimeContractIT.ALIAS_REFRESH_MILLIS + "ms");
    RetrainingLoop.SETTINGS.forEach(System::setProperty);
    TrainerImage image = new TrainerImage(work.resolve("trainer"));
    runtimes.add(
        new AwsRetraining(
            work.resolve("aws"), BUCKET, RetrainingLoop.MODELS, image, RetrainingLoop::given));
    runtimes.add(
        new AzureRetraining(
            work.resolve("azure"), BUCKET, RetrainingLoop.MODELS, image, RetrainingLoop::given));
    runtimes.add(
        new GcpRetraining(
            work.resolve("gcp"), BUCKET, RetrainingLoop.MODELS, image, RetrainingLoop::given));
    // the local runtime last, and run first: its cron's first tick comes a fixed time (LEAD)
    // after its start, so the others' starts (doubles, emulators, which take longer on a busy
    // machine) must not eat into that lead before its test looks at the bucket
    List<String> localSettings =
        RetrainingLoop.SETTINGS.entrySet().stream()
            .map(s -> s.getKey() + "=" + s.getValue())
            .toList();
    runtimes.add(
        0,
        new LocalRetraining(
            work.resolve("local"), RetrainingLoop.MODELS, localSettings, RetrainingLoop::given));
  }

  @AfterAll
  static void stopEveryRuntime() throws Exception {
    System.clearProperty("triad.alias-refresh");
    RetrainingLoop.SETTINGS.keySet().forEach(System::clearProperty);
    Exception first = null;
    for (RetrainingUnderTest runtime : runtimes) {
      try {
        runtime.close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
    // every cloud call the AWS and GCP functions (and AWS's trainer) made, against the stacks'
    // permissions
    io.triad.permissions.CloudPermissions.assertSuiteAllowed(
        "retraining",
        // gcp-replicas, azure-replicas: GCP's functions and Azure's app in the roles they assume to
        // copy promotions to AWS
        java.util.Set.of(
            "http",
            "s3",
            "schedule",
            "trainer",
            io.triad.permissions.AwsPermissions.GCP_REPLICAS,
            io.triad.permissions.AwsPermissions.AZURE_REPLICAS),
        java.util.Set.of("http", "objects", "schedule"),
        // gcp-replicas, aws-replicas: GCP's and AWS's functions as the identities they write the
        // container as
        java.util.Set.of("serve", "functions", "trainer", "gcp-replicas", "aws-replicas"));
  }

  @TestFactory
  @org.junit.jupiter.api.Order(1)
  Stream<DynamicTest>
      tick_should_promoteTheGoodCandidateAndRejectTheBadOne_when_theScheduleFiresOnEachRuntime() {
    return runtimes.stream()
        .map(
            runtime ->
                DynamicTest.dynamicTest(
                    "1 tick, 2 jobs on " + runtime.serving().name(),
                    () -> {
                      try {
                        RetrainingLoop.run(runtime);
                      } finally {
                        // the local cron fires again every minute; stopped now, it trains nothing
                        // while the clouds run
                        if (runtime instanceof LocalRetraining) {
                          runtime.close();
                        }
                      }
                    }));
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Order(2)
  void retriedTick_should_submitEachModelOnce_when_batchRefusedTheFirstSubmission()
      throws Exception {
    AwsRetraining aws =
        runtimes.stream()
            .filter(AwsRetraining.class::isInstance)
            .map(AwsRetraining.class::cast)
            .findFirst()
            .orElseThrow();
    // a slot of its own, an hour from now, so no earlier tick's version is in the way
    java.time.Instant slot =
        java.time.Instant.now()
            .plusSeconds(3600)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    java.util.Map<String, Long> jobs = aws.retryAfterRefusal(slot);

    org.assertj.core.api.Assertions.assertThat(jobs)
        .as("jobs per model for the retried tick")
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                java.util.Map.of(RetrainingLoop.PROMOTED, 1L, RetrainingLoop.REJECTED, 1L)));
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Order(3)
  void placement_should_moveAJobThatWaitsForMachines_when_aLaterTickFindsItWaiting()
      throws Exception {
    GcpRetraining gcp =
        runtimes.stream()
            .filter(GcpRetraining.class::isInstance)
            .map(GcpRetraining.class::cast)
            .findFirst()
            .orElseThrow();
    io.triad.functions.store.BlobStore bucket = gcp.serving().bucket();

    RetrainingUnderTest.TrainedJob ran =
        gcp.waitingJobMoves(
            RetrainingLoop.PROMOTED, RetrainingLoop.MAX_WAIT, java.time.Duration.ofMinutes(3));

    // the version went europe-west4 spot, europe-west4 on demand (both deleted), then us-west1
    String dir = io.triad.layout.BucketLayout.candidateDir(RetrainingLoop.PROMOTED, ran.version());
    org.assertj.core.api.Assertions.assertThat(gcp.deletedJobs())
        .as("jobs deleted after waiting")
        .hasSize(2)
        .allSatisfy(
            name ->
                org.assertj.core.api.Assertions.assertThat(name)
                    .contains("/locations/europe-west4/jobs/"));
    com.fasterxml.jackson.databind.JsonNode launch =
        io.triad.functions.api.TriadJson.mapper().readTree(bucket.read(dir + "launch.json"));
    org.assertj.core.api.Assertions.assertThat(launch.path("placement").path("target").asText())
        .isEqualTo("gcp/us-west1/spot");
    org.assertj.core.api.Assertions.assertThat(launch.path("moved"))
        .extracting(m -> m.path("target").asText())
        .containsExactly("gcp/europe-west4/spot", "gcp/europe-west4/on-demand");
    java.util.List<String> refused = new java.util.ArrayList<>();
    launch
        .path("placement")
        .path("refused")
        .forEach(r -> refused.add(r.path("target").asText() + ":" + r.path("refusal").asText()));
    org.assertj.core.api.Assertions.assertThat(refused)
        .endsWith(
            "gcp/us-central1/spot:quota",
            "gcp/us-central1/on-demand:quota",
            "gcp/europe-west4/spot:capacity",
            "gcp/europe-west4/on-demand:capacity");
    org.assertj.core.api.Assertions.assertThat(ran.arguments())
        .containsSubsequence("--placement", "gcp/us-west1/spot");
    com.fasterxml.jackson.databind.JsonNode training =
        io.triad.functions.api.TriadJson.mapper().readTree(bucket.read(dir + "training.json"));
    org.assertj.core.api.Assertions.assertThat(training.at("/placement/target").asText())
        .isEqualTo("gcp/us-west1/spot");
    org.assertj.core.api.Assertions.assertThat(training.at("/placement/refused").size())
        .isEqualTo(refused.size());
  }
}
