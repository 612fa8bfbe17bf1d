package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.batch.v1.CreateJobRequest;
import com.google.cloud.batch.v1.Runnable;
import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import io.grpc.Status;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.gcp.testing.FakeBatchService;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcp.testing.HttpFixture;
import io.triad.gcp.testing.LoopbackFunctionServer;
import io.triad.gcs.GcsBlobStore;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@link ScheduleEntry} under the Functions Framework's {@code BackgroundFunctionExecutor}, fed
 * Cloud Scheduler's Pub/Sub {@code messagePublished} CloudEvents from fixture files; Cloud Batch is
 * an in-process gRPC {@link FakeBatchService} behind the real client.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduleEntryIT {
  private static final String BUCKET = "triad-schedule";
  private static final Map<String, String> ENV =
      Map.of(
          GcpRuntime.BUCKET,
          BUCKET,
          "TRIAD_BATCH_PROJECT",
          "triad-prod",
          "TRIAD_BATCH_REGION",
          "us-central1",
          "TRIAD_BATCH_MACHINE_TYPE",
          "n1-standard-8",
          "TRIAD_BATCH_ACCELERATOR_TYPE",
          "nvidia-tesla-t4",
          "TRIAD_BATCH_ACCELERATOR_COUNT",
          "1",
          "TRIAD_BATCH_IMAGE",
          "us-docker.pkg.dev/triad-prod/triad/trainer:0.1.0");
  private static final BlobStore store = new GcsBlobStore(FakeGoogleCloud.storage(), BUCKET);
  private static final HttpClient client = HttpClient.newHttpClient();
  private static final FakeBatchService batch = new FakeBatchService();
  private static LoopbackFunctionServer server;
  private int seen;

  @BeforeAll
  static void start() throws Exception {
    ENV.forEach(System::setProperty);
    FakeGoogleCloud.use(batch);
    store.put(
        "data/iris/train.csv", TestModels.labelledCsv(20, 5).getBytes(StandardCharsets.UTF_8));
    new TestModels(store).publishIris("1");
    server = new LoopbackFunctionServer(BackgroundFunctionExecutor.forClass(ScheduleEntry.class));
  }

  @AfterAll
  static void stop() {
    server.close();
    batch.close();
    FakeGoogleCloud.clear();
    ENV.keySet().forEach(System::clearProperty);
  }

  @BeforeEach
  void count() {
    seen = batch.requests().size();
  }

  @Test
  void accept_should_submitAGpuTrainingJob_when_theSchedulerPublishesRetrainModel(
      CapturedOutput log) {
    deliver("pubsub/retrain-structured", log);

    CreateJobRequest request = lastRequest();
    assertThat(request.getJobId()).isEqualTo("triad-iris-20261122-030000");
    var policy = request.getJob().getAllocationPolicy().getInstances(0);
    assertThat(policy.getInstallGpuDrivers()).isTrue();
    assertThat(policy.getPolicy().getMachineType()).isEqualTo("n1-standard-8");
    assertThat(policy.getPolicy().getAccelerators(0).getType()).isEqualTo("nvidia-tesla-t4");
    assertThat(policy.getPolicy().getAccelerators(0).getCount()).isEqualTo(1);
    Runnable.Container container =
        request.getJob().getTaskGroups(0).getTaskSpec().getRunnables(0).getContainer();
    assertThat(container.getImageUri())
        .isEqualTo("us-docker.pkg.dev/triad-prod/triad/trainer:0.1.0");
    assertThat(container.getCommandsList())
        .containsExactly(
            "--store",
            "gs://" + BUCKET,
            "--model",
            "iris",
            "--version",
            "20261122-030000",
            "--data",
            "data/iris/train.csv",
            "--output",
            "candidates/iris/20261122-030000/",
            "--parent",
            "1");
  }

  @Test
  void accept_should_submitAJob_when_aBinaryEventNamesTheModelAlone(CapturedOutput log) {
    deliver("pubsub/retrain-binary", log);

    assertThat(lastRequest().getJobId()).isEqualTo("triad-iris-20261122-040000");
  }

  @Test
  void accept_should_retrainEachListedModel_when_theSchedulerPublishesTheModelList(
      CapturedOutput log) {
    // given the infrastructure's one scheduler job, publishing
    // {"schedule":"retrain","models":["iris","nodata"]}
    deliver("pubsub/retrain-all", log);

    // then iris is submitted, and the model without training data is skipped with its reason
    assertThat(lastRequest().getJobId()).isEqualTo("triad-iris-20261122-050000");
    assertThat(log.getAll())
        .contains("retraining nodata skipped: no training data at data/nodata/train.csv");
  }

  @Test
  void accept_should_acknowledgeWithoutAJob_when_theMessageNamesNoModel(CapturedOutput log) {
    deliver("pubsub/no-model", log);
    deliver("pubsub/not-pubsub", log);

    assertThat(batch.requests()).hasSize(seen);
  }

  @Test
  void accept_should_acknowledgeWithoutAJob_when_theModelHasNoTrainingData(CapturedOutput log) {
    deliver("pubsub/no-training-data", log);

    assertThat(batch.requests()).hasSize(seen);
  }

  @Test
  void accept_should_failTheInvocationWithTheCause_when_batchRefusesTheJob(CapturedOutput log) {
    batch.failWith(Status.PERMISSION_DENIED.withDescription("batch.jobs.create denied"));
    try {
      deliver("pubsub/batch-refuses", log);
      assertThat(log.getAll())
          .contains("retraining iris not submitted")
          .contains("batch.jobs.create denied");
    } finally {
      batch.failWith(null);
    }
  }

  private CreateJobRequest lastRequest() {
    assertThat(batch.requests()).hasSize(seen + 1);
    return batch.requests().get(seen);
  }

  private static void deliver(String name, CapturedOutput log) {
    HttpFixture fixture = HttpFixture.load(name);
    HttpResponse<String> response = fixture.send(client, server);
    assertThat(response.statusCode())
        .as("%s: %s", name, response.body())
        .isEqualTo(fixture.expected().status());
    assertThat(log.getAll()).as(name + " log").contains(fixture.expected().log());
  }
}
