package io.triad.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.triad.aws.testing.SigV4;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.functions.training.PlacementTarget;
import io.triad.functions.training.RetrainingReport;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SubmitJob against WireMock on 127.0.0.1: the signed request, its body, and a refused submission.
 */
class AwsBatchLauncherTest {
  private static final String SECRET = "S3RVER"; // the surefire configuration's aws.secretAccessKey
  private static final TrainingJob JOB =
      new TrainingJob(
          "iris",
          "20261122-030000",
          "s3://triad-test",
          "data/iris/train.csv",
          "candidates/iris/20261122-030000/",
          "1",
          Map.of("seed", "42"));

  private WireMockServer batch;
  private AwsBatchLauncher launcher;

  @BeforeEach
  void startBatchStub() {
    batch =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    batch.start();
    AwsSettings settings =
        AwsSettings.from(
            Map.of(
                    AwsSettings.REGION,
                    "eu-west-1",
                    AwsSettings.BATCH_ENDPOINT,
                    "http://127.0.0.1:" + batch.port())
                ::get);
    launcher =
        new AwsBatchLauncher(
            AwsClients.batch(settings, "schedule"),
            "triad-training",
            "triad-trainer:3",
            settings.region());
  }

  @AfterEach
  void stopBatchStub() {
    batch.stop();
  }

  @Test
  void launch_should_submitSignedJobWithTrainerArguments_when_batchAccepts() {
    // given
    batch.stubFor(
        post("/v1/submitjob")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"jobArn\":\"arn:aws:batch:eu-west-1:123456789012:job/6d4f\",\"jobName\":\"triad-retrain-iris-20261122-030000\",\"jobId\":\"6d4f\"}")));

    // when
    String jobId = launcher.launch(JOB);

    // then
    assertThat(jobId).isEqualTo("6d4f");
    batch.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/submitjob"))
            .withRequestBody(
                equalToJson(
                    """
        {"jobName": "triad-retrain-iris-20261122-030000", "jobQueue": "triad-training", "jobDefinition": "triad-trainer:3",
         "containerOverrides": {
           "command": ["--store", "s3://triad-test", "--model", "iris", "--version", "20261122-030000", "--data", "data/iris/train.csv",
                       "--output", "candidates/iris/20261122-030000/", "--parent", "1", "--seed", "42"],
           "environment": [{"name": "ORT_DISABLE_TELEMETRY", "value": "1"}, {"name": "AWS_REGION", "value": "eu-west-1"}]}}
        """)));
    LoggedRequest request = batch.getAllServeEvents().get(0).getRequest();
    SigV4.Authorization auth = SigV4.Authorization.parse(request.getHeader("Authorization"));
    assertThat(auth.accessKey()).isEqualTo("S3RVER");
    assertThat(List.of(auth.region(), auth.service())).containsExactly("eu-west-1", "batch");
    assertThat(auth.signedHeaders()).contains("host", "x-amz-date", "content-type");
    Map<String, String> headers = new TreeMap<>();
    request
        .getHeaders()
        .all()
        .forEach(h -> headers.put(h.key().toLowerCase(Locale.ROOT), h.firstValue()));
    assertThat(auth.signature())
        .as("SigV4 recomputed from the received request")
        .isEqualTo(
            SigV4.expectedSignature(
                SECRET, auth, "POST", "/v1/submitjob", headers, request.getBody()));
  }

  @Test
  void launch_should_throwWithTheCause_when_batchRefuses() {
    // given
    batch.stubFor(
        post("/v1/submitjob")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", "ClientException")
                    .withBody(
                        "{\"__type\":\"ClientException\",\"message\":\"JobQueue triad-training not found\"}")));

    // when, then
    assertThatThrownBy(() -> launcher.launch(JOB))
        .isInstanceOf(TrainingLaunchException.class)
        .hasMessageContaining("queue triad-training")
        .hasMessageContaining("JobQueue triad-training not found")
        .hasCauseInstanceOf(software.amazon.awssdk.services.batch.model.ClientException.class)
        .satisfies(
            e ->
                assertThat(((TrainingLaunchException) e).refusal())
                    .isEqualTo(TrainingLaunchException.Refusal.REJECTED));
  }

  @Test
  void state_should_tellWaitingRunningAndEnded_when_batchDescribesTheJob() {
    // given Batch's DescribeJobs answers, as it words them
    String runnable =
        "{\"jobs\":[{\"jobId\":\"6d4f\",\"jobName\":\"n\",\"jobQueue\":\"q\",\"jobDefinition\":\"d\","
            + "\"status\":\"RUNNABLE\",\"statusReason\":\"Waiting for capacity\",\"createdAt\":1}]}";
    batch.stubFor(
        post("/v1/describejobs")
            .withRequestBody(equalToJson("{\"jobs\":[\"6d4f\"]}"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(runnable)));
    batch.stubFor(
        post("/v1/describejobs")
            .withRequestBody(equalToJson("{\"jobs\":[\"7a1b\"]}"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(runnable.replace("6d4f", "7a1b").replace("RUNNABLE", "RUNNING"))));
    batch.stubFor(
        post("/v1/describejobs")
            .withRequestBody(equalToJson("{\"jobs\":[\"gone\"]}"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"jobs\":[]}")));

    // when, then: a job Batch keeps RUNNABLE waits; the stack's one queue leaves it nowhere to go
    assertThat(launcher.state("6d4f"))
        .isEqualTo(
            new TrainingLauncher.JobState(
                TrainingLauncher.JobState.Phase.WAITING, "RUNNABLE: Waiting for capacity"));
    assertThat(launcher.state("7a1b").phase()).isEqualTo(TrainingLauncher.JobState.Phase.RUNNING);
    assertThat(launcher.state("gone"))
        .isEqualTo(
            new TrainingLauncher.JobState(TrainingLauncher.JobState.Phase.ENDED, "not found"));
    assertThat(launcher.cancel("6d4f", "moved")).isFalse();
    SigV4.Authorization auth =
        SigV4.Authorization.parse(
            batch.getAllServeEvents().get(0).getRequest().getHeader("Authorization"));
    assertThat(List.of(auth.region(), auth.service())).containsExactly("eu-west-1", "batch");
  }

  @Test
  void launch_should_sayQuota_when_batchThrottlesTheSubmission() {
    // given Batch answers every try (the SDK retries throttling) with 429
    batch.stubFor(
        post("/v1/submitjob")
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", "TooManyRequestsException")
                    .withBody(
                        "{\"__type\":\"TooManyRequestsException\",\"message\":\"Too Many Requests\"}")));

    // when, then
    assertThatThrownBy(() -> launcher.launch(JOB))
        .isInstanceOfSatisfying(
            TrainingLaunchException.class,
            e -> assertThat(e.refusal()).isEqualTo(TrainingLaunchException.Refusal.QUOTA));
  }

  @Test
  void launch_should_takeOnlyAJobPlacedOnItsQueue_when_theStackSaysWhatTheQueueIs() {
    // given a queue whose compute environment is spot in eu-west-1
    batch.stubFor(
        post("/v1/submitjob")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"jobArn\":\"arn:aws:batch:eu-west-1:1:job/j\",\"jobName\":\"n\",\"jobId\":\"j-1\"}")));
    AwsBatchLauncher spot =
        new AwsBatchLauncher(
            AwsClients.batch(
                AwsSettings.from(
                    Map.of(
                            AwsSettings.REGION,
                            "eu-west-1",
                            AwsSettings.BATCH_ENDPOINT,
                            "http://127.0.0.1:" + batch.port())
                        ::get),
                "schedule"),
            "triad-training",
            "triad-trainer:3",
            "eu-west-1",
            "aws/eu-west-1/spot");

    // when placed on that queue, it is submitted with where and why
    assertThat(spot.launch(JOB.placedOn(PlacementTarget.parse("aws/eu-west-1/spot"), List.of())))
        .isEqualTo("j-1");
    assertThat(batch.getAllServeEvents().get(0).getRequest().getBodyAsString())
        .contains("\"--placement\",\"aws/eu-west-1/spot\"");

    // and placed on demand, or in another region, or with a stack that does not say, it is not
    for (String elsewhere : List.of("aws/eu-west-1/on-demand", "aws/us-east-1/spot")) {
      assertThatThrownBy(
              () -> spot.launch(JOB.placedOn(PlacementTarget.parse(elsewhere), List.of())))
          .isInstanceOfSatisfying(
              TrainingLaunchException.class,
              e -> assertThat(e.refusal()).isEqualTo(TrainingLaunchException.Refusal.UNAVAILABLE))
          .hasMessageContaining("is aws/eu-west-1/spot, not " + elsewhere);
      // and says so before it is asked (a waiting job is not withdrawn for a target it refuses)
      assertThat(spot.takes(PlacementTarget.parse(elsewhere))).isFalse();
    }
    assertThat(spot.takes(PlacementTarget.parse("aws/eu-west-1/spot"))).isTrue();
    assertThat(launcher.takes(PlacementTarget.parse("aws/eu-west-1/spot"))).isFalse();
    assertThatThrownBy(
            () ->
                launcher.launch(
                    JOB.placedOn(PlacementTarget.parse("aws/eu-west-1/spot"), List.of())))
        .hasMessageContaining("TRIAD_BATCH_PLACEMENT is not set");
    assertThat(batch.getAllServeEvents()).hasSize(1);
  }

  @Test
  void scheduleHandler_should_failTheInvocation_when_batchIsDown(@TempDir Path bucket)
      throws Exception {
    // given
    batch.stubFor(
        post("/v1/submitjob")
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("x-amzn-ErrorType", "ServerException")
                    .withBody(
                        "{\"__type\":\"ServerException\",\"message\":\"Service unavailable\"}")));
    new FileSystemBlobStore(bucket)
        .put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(StandardCharsets.UTF_8));
    byte[] event =
        getClass().getResourceAsStream("/events/aws/eventbridge/retrain-iris.json").readAllBytes();

    try (ConfigurableApplicationContext context = TriadTestApp.start(bucket, launcher)) {
      LambdaEntry handler = new LambdaEntry(FunctionRole.SCHEDULE, context);

      // when, then: thrown, so the runtime client reports the error and EventBridge retries
      assertThatThrownBy(
              () ->
                  handler.handleRequest(
                      new ByteArrayInputStream(event), new java.io.ByteArrayOutputStream(), null))
          .isInstanceOf(RetrainingReport.RetrainingFailed.class)
          .hasMessageContaining("iris: ")
          .hasMessageContaining("Service unavailable");
    }
  }
}
