package io.triad.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.functions.training.RetrainingReport;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/** Job and task submission against the Batch REST API, served by WireMock on 127.0.0.1. */
class AzureBatchLauncherIT {
  /** Answers for Batch's scope only, as Entra mints a token for one audience. */
  private static final TokenCredential TOKEN =
      request ->
          request.getScopes().equals(java.util.List.of("https://batch.core.windows.net//.default"))
              ? Mono.just(new AccessToken("test-token", OffsetDateTime.now().plusHours(1)))
              : Mono.error(
                  new IllegalStateException(
                      "a token for Batch was asked for " + request.getScopes()));

  private static final TrainingJob JOB =
      new TrainingJob(
          "iris",
          "20261122-030000",
          "azblob://triaddata/triad",
          "data/iris/train.csv",
          "candidates/iris/20261122-030000/",
          "1",
          Map.of("epochs", "60"));
  private static final String JOB_ID = "triad-iris-20261122-030000";
  private static final Clock TICK =
      Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);

  private WireMockServer batch;
  private AzureBatchLauncher launcher;

  @BeforeEach
  void startBatch() {
    batch =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    batch.start();
    AzureSettings settings =
        new AzureSettings(
            "triad",
            "triaddata",
            null,
            "triadbatch",
            "http://127.0.0.1:" + batch.port(),
            "gpu-pool",
            "triadtrainer.azurecr.io/triad-trainer:1.2.3",
            "client-id-of-trainer",
            "azure/northeurope/spot");
    launcher =
        new AzureBatchLauncher(settings, TOKEN, HttpClient.newHttpClient(), TriadJson.mapper());
  }

  @AfterEach
  void stopBatch() {
    batch.stop();
  }

  @Test
  void launch_should_create_a_job_in_the_pool_and_a_trainer_task_when_batch_accepts() {
    batch.stubFor(post(urlPathEqualTo("/jobs")).willReturn(aResponse().withStatus(201)));
    batch.stubFor(
        post(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks")).willReturn(aResponse().withStatus(201)));

    String id = launcher.launch(JOB);

    assertThat(id).isEqualTo(JOB_ID);
    batch.verify(
        postRequestedFor(urlPathEqualTo("/jobs"))
            .withQueryParam("api-version", equalTo(AzureBatchLauncher.API_VERSION))
            .withHeader("Authorization", equalTo("Bearer test-token"))
            .withRequestBody(matchingJsonPath("$.id", equalTo(JOB_ID)))
            .withRequestBody(matchingJsonPath("$.poolInfo.poolId", equalTo("gpu-pool")))
            .withRequestBody(matchingJsonPath("$.onAllTasksComplete", equalTo("terminatejob"))));
    batch.verify(
        postRequestedFor(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks"))
            .withRequestBody(matchingJsonPath("$.id", equalTo(AzureBatchLauncher.TASK_ID)))
            .withRequestBody(
                matchingJsonPath(
                    "$.commandLine",
                    equalTo(
                        "--store azblob://triaddata/triad --model iris --version 20261122-030000"
                            + " --data data/iris/train.csv --output candidates/iris/20261122-030000/"
                            + " --parent 1 --epochs 60")))
            .withRequestBody(
                matchingJsonPath(
                    "$.containerSettings.imageName",
                    equalTo("triadtrainer.azurecr.io/triad-trainer:1.2.3")))
            .withRequestBody(
                matchingJsonPath("$.environmentSettings[0].name", equalTo("ORT_DISABLE_TELEMETRY")))
            .withRequestBody(
                matchingJsonPath("$.environmentSettings[1].name", equalTo("AZURE_CLIENT_ID")))
            .withRequestBody(
                matchingJsonPath(
                    "$.environmentSettings[1].value", equalTo("client-id-of-trainer"))));
  }

  @Test
  void launch_should_refuse_an_argument_the_command_line_cannot_carry_without_calling_batch() {
    TrainingJob spaced =
        new TrainingJob(
            "iris",
            "20261122-030000",
            "azblob://triaddata/triad",
            "data/iris/my data.csv",
            "candidates/iris/20261122-030000/",
            "1",
            Map.of());

    assertThatThrownBy(() -> launcher.launch(spaced))
        .isInstanceOf(TrainingLaunchException.class)
        .hasMessageContaining("without a shell")
        .hasMessageEndingWith("data/iris/my data.csv");
    assertThat(batch.getAllServeEvents()).isEmpty();
  }

  @Test
  void launch_should_fail_with_batch_code_and_message_when_the_pool_does_not_exist() {
    batch.stubFor(
        post(urlPathEqualTo("/jobs"))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\":\"PoolNotFound\",\"message\":{\"lang\":\"en-US\",\"value\":\"The specified pool does not exist.\"}}")));

    assertThatThrownBy(() -> launcher.launch(JOB))
        .isInstanceOf(TrainingLaunchException.class)
        .hasMessage(
            "Azure Batch refused to create job "
                + JOB_ID
                + " in pool gpu-pool: HTTP 409 PoolNotFound: The specified pool does not exist.")
        .satisfies(
            e ->
                assertThat(((TrainingLaunchException) e).refusal())
                    .isEqualTo(TrainingLaunchException.Refusal.REJECTED));
  }

  @Test
  void launch_should_say_quota_when_the_account_has_its_most_active_jobs() {
    batch.stubFor(
        post(urlPathEqualTo("/jobs"))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\":\"ActiveJobAndScheduleQuotaReached\",\"message\":{\"lang\":\"en-US\",\"value\":\"The specified account has reached the maximum number of active jobs and job schedules.\"}}")));

    assertThatThrownBy(() -> launcher.launch(JOB))
        .isInstanceOfSatisfying(
            TrainingLaunchException.class,
            e -> assertThat(e.refusal()).isEqualTo(TrainingLaunchException.Refusal.QUOTA));
  }

  @Test
  void launch_should_take_only_a_job_placed_on_its_pool_without_calling_batch_otherwise() {
    assertThatThrownBy(
            () ->
                launcher.launch(
                    JOB.placedOn(
                        io.triad.functions.training.PlacementTarget.parse(
                            "azure/northeurope/on-demand"),
                        List.of())))
        .isInstanceOfSatisfying(
            TrainingLaunchException.class,
            e -> assertThat(e.refusal()).isEqualTo(TrainingLaunchException.Refusal.UNAVAILABLE))
        .hasMessageContaining("is azure/northeurope/spot, not azure/northeurope/on-demand");
    assertThat(batch.getAllServeEvents()).isEmpty();
  }

  @Test
  void state_should_readTheTrainerTaskAsBatchReportsIt() {
    String task = "/jobs/" + JOB_ID + "/tasks/" + AzureBatchLauncher.TASK_ID;
    // Get Task's answer while no node has taken the task, then running, then completed
    batch.stubFor(
        get(urlPathEqualTo(task))
            .inScenario("task")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(
                okJson(
                    "{\"id\":\"trainer\",\"state\":\"active\","
                        + "\"stateTransitionTime\":\"2026-11-22T03:00:05Z\"}"))
            .willSetStateTo("running"));
    batch.stubFor(
        get(urlPathEqualTo(task))
            .inScenario("task")
            .whenScenarioStateIs("running")
            .willReturn(
                okJson(
                    "{\"id\":\"trainer\",\"state\":\"running\","
                        + "\"executionInfo\":{\"startTime\":\"2026-11-22T03:20:00Z\","
                        + "\"retryCount\":0,\"requeueCount\":0}}"))
            .willSetStateTo("completed"));
    batch.stubFor(
        get(urlPathEqualTo(task))
            .inScenario("task")
            .whenScenarioStateIs("completed")
            .willReturn(
                okJson(
                    "{\"id\":\"trainer\",\"state\":\"completed\","
                        + "\"executionInfo\":{\"exitCode\":1,\"result\":\"failure\","
                        + "\"failureInfo\":{\"category\":\"usererror\",\"code\":"
                        + "\"FailureExitCode\",\"message\":\"The task exited with an exit code"
                        + " representing a failure\"}}}")));

    assertThat(launcher.state(JOB_ID))
        .isEqualTo(
            new TrainingLauncher.JobState(TrainingLauncher.JobState.Phase.WAITING, "active"));
    assertThat(launcher.state(JOB_ID).phase()).isEqualTo(TrainingLauncher.JobState.Phase.RUNNING);
    assertThat(launcher.state(JOB_ID))
        .isEqualTo(
            new TrainingLauncher.JobState(
                TrainingLauncher.JobState.Phase.ENDED,
                "completed (failure): The task exited with an exit code representing a failure"));
    batch.verify(
        getRequestedFor(urlPathEqualTo(task))
            .withQueryParam("api-version", equalTo(AzureBatchLauncher.API_VERSION))
            .withHeader("Authorization", equalTo("Bearer test-token")));
    // nothing is withdrawn on Azure: the app's one pool is the only place it could go
    assertThat(launcher.cancel(JOB_ID, "waited")).isFalse();
  }

  @Test
  void state_should_sayEnded_when_BatchNoLongerKnowsTheJob_andFailInWordsOtherwise() {
    String task = "/jobs/" + JOB_ID + "/tasks/" + AzureBatchLauncher.TASK_ID;
    batch.stubFor(
        get(urlPathEqualTo(task))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withBody(
                        "{\"code\":\"JobNotFound\",\"message\":{\"lang\":\"en-US\","
                            + "\"value\":\"The specified job does not exist.\"}}")));
    assertThat(launcher.state(JOB_ID))
        .isEqualTo(
            new TrainingLauncher.JobState(
                TrainingLauncher.JobState.Phase.ENDED,
                "not found: JobNotFound: The specified job does not exist."));

    batch.stubFor(
        get(urlPathEqualTo(task))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody(
                        "{\"code\":\"AuthorizationFailure\",\"message\":{\"value\":"
                            + "\"This request is not authorized to perform this operation.\"}}")));
    assertThatThrownBy(() -> launcher.state(JOB_ID))
        .hasMessage(
            "Azure Batch did not say what job "
                + JOB_ID
                + " is doing: HTTP 403 AuthorizationFailure: This request is not authorized to"
                + " perform this operation.");
  }

  @Test
  void launch_should_delete_the_job_and_fail_when_the_task_is_refused() {
    batch.stubFor(post(urlPathEqualTo("/jobs")).willReturn(aResponse().withStatus(201)));
    batch.stubFor(
        post(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks"))
            .willReturn(
                aResponse().withStatus(400).withBody("{\"code\":\"InvalidPropertyValue\"}")));
    batch.stubFor(
        delete(urlPathEqualTo("/jobs/" + JOB_ID)).willReturn(aResponse().withStatus(202)));

    assertThatThrownBy(() -> launcher.launch(JOB))
        .hasMessageContaining("add the trainer task")
        .hasMessageContaining("InvalidPropertyValue");
    batch.verify(deleteRequestedFor(urlPathEqualTo("/jobs/" + JOB_ID)));
  }

  @Test
  void onSchedule_should_fail_the_invocation_with_the_cause_when_batch_is_unreachable(
      @TempDir Path bucket) {
    // given the timer over the real onSchedule, whose launcher's Batch endpoint has gone away
    batch.stop();
    try (ConfigurableApplicationContext context = retraining(bucket)) {
      ScheduleEntry timer =
          new ScheduleEntry(
              context.getBean(FunctionCatalog.class).lookup("onSchedule"), TICK, null);

      // when it fires, then the invocation fails, carrying the launcher's cause
      assertThatThrownBy(() -> timer.run("{}", new Invocation("onSchedule")))
          .isInstanceOf(RetrainingReport.RetrainingFailed.class)
          .hasMessageContaining("iris: ")
          .hasMessageContaining("did not answer");
    }
  }

  @Test
  void onSchedule_should_log_the_job_id_when_the_job_is_submitted(@TempDir Path bucket) {
    batch.stubFor(post(urlPathEqualTo("/jobs")).willReturn(aResponse().withStatus(201)));
    batch.stubFor(
        post(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks")).willReturn(aResponse().withStatus(201)));
    Invocation invocation = new Invocation("onSchedule");

    try (ConfigurableApplicationContext context = retraining(bucket)) {
      new ScheduleEntry(context.getBean(FunctionCatalog.class).lookup("onSchedule"), TICK, null)
          .run("{}", invocation);
    }

    assertThat(invocation.logged())
        .anyMatch(
            l ->
                l.startsWith("INFO retraining tick: ")
                    && l.contains("jobId=" + JOB_ID)
                    && l.contains("candidatePrefix=candidates/iris/20261122-030000/"));
  }

  /**
   * The suite over a bucket directory holding iris's training data, launching through this test's
   * Batch launcher.
   */
  private ConfigurableApplicationContext retraining(Path bucket) {
    ConfigurableApplicationContext context =
        TriadTestApp.start(bucket, launcher, "triad.catalog=iris");
    context
        .getBean(BlobStore.class)
        .put("data/iris/train.csv", TestModels.labelledCsv(5, 1).getBytes(StandardCharsets.UTF_8));
    return context;
  }
}
