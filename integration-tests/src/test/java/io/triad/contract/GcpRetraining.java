package io.triad.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import io.triad.functions.store.BlobStore;
import io.triad.gcp.ScheduleEntry;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcp.testing.LoopbackFunctionServer;
import io.triad.settings.GcpContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The loop on Google Cloud: the three entry points under the Functions Framework's executors on
 * 127.0.0.1, each its own instance and context as each is its own function on GCP. Cloud
 * Scheduler's Pub/Sub message (the stack's one job, listing the models) goes to {@link
 * ScheduleEntry}, whose Cloud Batch client talks to {@link FakeCloudBatch}; the candidate's
 * finalize event goes to {@code UploadEntry}; {@code HttpEntry} serves and sees a promotion only
 * through the alias.
 */
final class GcpRetraining implements RetrainingUnderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the stack sets on the schedule function (infra's {@code GcpFunctions}), CPU-only here. */
  private static final Map<String, String> BATCH_SETTINGS =
      Map.of(
          GcpContract.BATCH_PROJECT, "triad-test",
          GcpContract.BATCH_REGION, "us-central1",
          GcpContract.BATCH_IMAGE, "us-central1-docker.pkg.dev/triad-test/triad/triad-trainer:test",
          GcpContract.BATCH_MACHINE_TYPE, "n1-standard-4",
          GcpContract.BATCH_ACCELERATOR_COUNT, "0",
          // the stack hands the launcher the training account (acting as it needs a grant)
          GcpContract.BATCH_SERVICE_ACCOUNT,
              "triad-test-trainer@triad-test.iam.gserviceaccount.com");

  private final List<String> models;
  private final GcpUnderTest serving;
  private final FakeCloudBatch batch;
  private final LoopbackFunctionServer scheduleServer;
  private final LoopbackClient scheduleClient;
  private final ToAwsReplica replica;
  private final ToAzureReplica azureReplica;

  GcpRetraining(
      Path work, String bucket, List<String> models, TrainerImage image, Consumer<BlobStore> given)
      throws Exception {
    this.models = List.copyOf(models);
    BATCH_SETTINGS.forEach(System::setProperty);
    // the stack copies each promotion into the AWS stack's bucket: the functions that promote and
    // catch up are started with what it gives them, then the settings go (other runtimes share
    // this JVM's properties)
    this.replica = ToAwsReplica.gcp(work, RetrainingLoop.PROMOTED);
    try {
      // and into the Azure stack's container, as its identity for GCP's writers
      this.azureReplica = ToAzureReplica.gcp(work, replica.googleKey());
    } catch (Exception | Error e) {
      replica.close();
      throw e;
    }
    replica.settings().forEach(System::setProperty);
    azureReplica.settings().forEach(System::setProperty);
    try {
      this.serving = new GcpUnderTest(bucket, String.join(",", models));
    } catch (Exception | Error e) {
      clearReplicaSettings();
      closeReplicas();
      throw e;
    }
    this.batch =
        new FakeCloudBatch(
            image,
            work.resolve("staging"),
            "projects/"
                + BATCH_SETTINGS.get(GcpContract.BATCH_PROJECT)
                + "/locations/"
                + BATCH_SETTINGS.get(GcpContract.BATCH_REGION));
    // us-central1 refuses the job at creation: over the region's Batch mutation quota, the refusal
    // Cloud Batch gives synchronously (RESOURCE_EXHAUSTED); a want of machines it reports only
    // later, on a job it accepted. The project may run jobs in europe-west4 too.
    batch
        .service()
        .refuseIn(
            "projects/triad-test/locations/us-central1",
            io.grpc.Status.RESOURCE_EXHAUSTED.withDescription(
                "Quota exceeded for quota metric 'Mutation requests' and limit 'Mutation requests"
                    + " per minute per region' of service 'batch.googleapis.com'"));
    batch.service().alsoIn("projects/triad-test/locations/europe-west4");
    batch.service().alsoIn("projects/triad-test/locations/us-west1");
    try {
      given.accept(serving.bucket());
      // the schedule function's context is started by the executor below, with this Batch client
      FakeGoogleCloud.use(batch.service());
      this.scheduleServer =
          new LoopbackFunctionServer(BackgroundFunctionExecutor.forClass(ScheduleEntry.class));
      this.scheduleClient = new LoopbackClient(scheduleServer.uri("/").toString());
    } catch (Exception | Error e) {
      stopFakes();
      throw e;
    } finally {
      FakeGoogleCloud.clear();
      clearReplicaSettings();
    }
  }

  private void clearReplicaSettings() {
    replica.settings().keySet().forEach(System::clearProperty);
    azureReplica.settings().keySet().forEach(System::clearProperty);
  }

  private void closeReplicas() {
    try {
      replica.close();
    } finally {
      azureReplica.close();
    }
  }

  @Override
  public void promoted(String model, String version) throws Exception {
    replica.assertCopied(serving.bucket(), model, version);
    azureReplica.assertCopied(serving.bucket(), model, version);
  }

  @Override
  public String placement() {
    return "gcp/europe-west4/spot";
  }

  @Override
  public RuntimeUnderTest serving() {
    return serving;
  }

  /**
   * A binary-mode {@code messagePublished} CloudEvent as Eventarc posts it for the stack's
   * scheduler job.
   */
  @Override
  public void tick(int deliveries) throws Exception {
    tick(deliveries, models, Instant.now());
  }

  private void tick(int deliveries, List<String> models, Instant now) throws Exception {
    String message = JSON.writeValueAsString(Map.of("schedule", "retrain", "models", models));
    Map<String, Object> body =
        Map.of(
            "message",
            Map.of(
                "data",
                Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8)),
                "messageId",
                Long.toString(now.toEpochMilli()),
                "publishTime",
                now.toString()),
            "subscription",
            "projects/triad-test/subscriptions/eventarc-retrain");
    Map<String, String> headers =
        Map.of(
            "Content-Type", "application/json",
            "ce-specversion", "1.0",
            "ce-id", Long.toString(now.toEpochMilli()),
            "ce-source", "//pubsub.googleapis.com/projects/triad-test/topics/triad-retrain",
            "ce-type", "google.cloud.pubsub.topic.v1.messagePublished",
            "ce-time", now.toString());
    byte[] event = JSON.writeValueAsBytes(body);
    // Pub/Sub redelivers the same message (same id, same publish time)
    RetrainingUnderTest.atOnce(
        deliveries,
        () -> {
          Answer answer =
              scheduleClient.send(new ContractRequest("tick", "POST", "/", headers, event));
          if (answer.status() != 200) {
            throw new IllegalStateException(
                "the schedule function answered " + answer.status() + ": " + answer.text());
          }
          return null;
        });
  }

  /**
   * The wait drill: europe-west4 now accepts jobs and never finds them machines (Batch keeps such a
   * job SCHEDULED, retrying its VMs). One tick submits a new version of {@code model} there on Spot
   * VMs (us-central1 still refuses); each later tick, once {@code maxWait} has passed, finds it
   * still waiting, deletes it and submits the version to the next target: europe-west4 on demand
   * (held too), then us-west1, where it runs.
   *
   * @return the job that ran, once its trainer has finished
   */
  TrainedJob waitingJobMoves(String model, Duration maxWait, Duration timeout) throws Exception {
    batch.service().holdIn("projects/triad-test/locations/europe-west4");
    int runs = batch.runs().all().size();
    // Cloud Scheduler's ticks come a minute or more apart (the function takes the minute), so
    // these are an hour ahead, each a minute and the wait after the one before
    Instant slot = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    for (int tick = 0; tick < 3; tick++) {
      tick(1, List.of(model), slot.plus(Duration.ofMinutes(tick).plus(maxWait.multipliedBy(tick))));
    }
    Instant deadline = Instant.now().plus(timeout);
    while (batch.runs().all().size() == runs && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    List<TrainingRun> ran = batch.runs().all();
    if (ran.size() != runs + 1) {
      throw new AssertionError(
          "expected one job to run after the moves, got "
              + ran.subList(runs, ran.size()).stream().map(TrainingRun::jobId).toList()
              + "; deleted: "
              + batch.service().deleted());
    }
    TrainingRun run = ran.get(runs);
    run.awaitSuccess(timeout);
    return new TrainedJob(run.jobId(), run.version(), run.arguments());
  }

  /** The jobs Cloud Batch was asked to delete, by name. */
  List<String> deletedJobs() {
    return batch.service().deleted();
  }

  @Override
  public int jobs(String model) {
    return batch.runs().count(model);
  }

  @Override
  public TrainedJob awaitTrained(String model, Duration timeout) throws Exception {
    return batch.runs().awaitTrained(model, timeout);
  }

  /** Through {@code UploadEntry}, once the double has copied the candidate into the bucket. */
  @Override
  public void announce(String key) throws Exception {
    serving.announce(key);
  }

  @Override
  public void close() {
    try {
      if (scheduleServer != null) {
        scheduleServer.close();
      }
    } finally {
      stopFakes();
    }
  }

  private void stopFakes() {
    try {
      batch.close();
      BATCH_SETTINGS.keySet().forEach(System::clearProperty);
    } finally {
      try {
        serving.close();
      } finally {
        closeReplicas();
      }
    }
  }
}
