package io.triad.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadJson;
import io.triad.functions.training.LaunchedTraining;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Job and task submission against the Batch REST API, served by WireMock on 127.0.0.1. */
class AzureBatchLauncherIT {
  private static final TokenCredential TOKEN = request -> Mono.just(new AccessToken("test-token", OffsetDateTime.now().plusHours(1)));
  private static final TrainingJob JOB = new TrainingJob("iris", "20261122-030000", "azblob://triaddata/triad", "data/iris/train.csv",
      "candidates/iris/20261122-030000/", "1", Map.of("epochs", "60"));
  private static final String JOB_ID = "triad-iris-20261122-030000";

  private WireMockServer batch;
  private AzureBatchLauncher launcher;

  @BeforeEach
  void startBatch() {
    batch = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    batch.start();
    AppSettings settings = new AppSettings("triad", "triaddata", null, "triadbatch", "http://127.0.0.1:" + batch.port(), "gpu-pool",
        List.of("iris"), null, "triadtrainer.azurecr.io/triad-trainer:1.2.3", "client-id-of-trainer");
    launcher = new AzureBatchLauncher(settings, TOKEN, HttpClient.newHttpClient(), TriadJson.mapper());
  }

  @AfterEach
  void stopBatch() {
    batch.stop();
  }

  @Test
  void launch_should_create_a_job_in_the_pool_and_a_trainer_task_when_batch_accepts() {
    batch.stubFor(post(urlPathEqualTo("/jobs")).willReturn(aResponse().withStatus(201)));
    batch.stubFor(post(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks")).willReturn(aResponse().withStatus(201)));

    String id = launcher.launch(JOB);

    assertThat(id).isEqualTo(JOB_ID);
    batch.verify(postRequestedFor(urlPathEqualTo("/jobs"))
        .withQueryParam("api-version", equalTo(AzureBatchLauncher.API_VERSION))
        .withHeader("Authorization", equalTo("Bearer test-token"))
        .withRequestBody(matchingJsonPath("$.id", equalTo(JOB_ID)))
        .withRequestBody(matchingJsonPath("$.poolInfo.poolId", equalTo("gpu-pool")))
        .withRequestBody(matchingJsonPath("$.onAllTasksComplete", equalTo("terminatejob"))));
    batch.verify(postRequestedFor(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks"))
        .withRequestBody(matchingJsonPath("$.id", equalTo(AzureBatchLauncher.TASK_ID)))
        .withRequestBody(matchingJsonPath("$.commandLine", equalTo("/bin/sh -c '" + AppSettings.DEFAULT_TRAINER_COMMAND.replace("'", "'\"'\"'")
            + " --store azblob://triaddata/triad --model iris --version 20261122-030000 --data data/iris/train.csv"
            + " --output candidates/iris/20261122-030000/ --parent 1 --epochs 60'")))
        .withRequestBody(matchingJsonPath("$.containerSettings.imageName", equalTo("triadtrainer.azurecr.io/triad-trainer:1.2.3")))
        .withRequestBody(matchingJsonPath("$.environmentSettings[0].name", equalTo("ORT_DISABLE_TELEMETRY")))
        .withRequestBody(matchingJsonPath("$.environmentSettings[1].name", equalTo("AZURE_CLIENT_ID")))
        .withRequestBody(matchingJsonPath("$.environmentSettings[1].value", equalTo("client-id-of-trainer"))));
  }

  @Test
  void launch_should_fail_with_batch_code_and_message_when_the_pool_does_not_exist() {
    batch.stubFor(post(urlPathEqualTo("/jobs")).willReturn(aResponse().withStatus(409)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"code\":\"PoolNotFound\",\"message\":{\"lang\":\"en-US\",\"value\":\"The specified pool does not exist.\"}}")));

    assertThatThrownBy(() -> launcher.launch(JOB))
        .isInstanceOf(TrainingLaunchException.class)
        .hasMessage("Azure Batch refused to create job " + JOB_ID + " in pool gpu-pool: HTTP 409 PoolNotFound: The specified pool does not exist.");
  }

  @Test
  void launch_should_delete_the_job_and_fail_when_the_task_is_refused() {
    batch.stubFor(post(urlPathEqualTo("/jobs")).willReturn(aResponse().withStatus(201)));
    batch.stubFor(post(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks")).willReturn(aResponse().withStatus(400).withBody("{\"code\":\"InvalidPropertyValue\"}")));
    batch.stubFor(delete(urlPathEqualTo("/jobs/" + JOB_ID)).willReturn(aResponse().withStatus(202)));

    assertThatThrownBy(() -> launcher.launch(JOB)).hasMessageContaining("add the trainer task").hasMessageContaining("InvalidPropertyValue");
    batch.verify(deleteRequestedFor(urlPathEqualTo("/jobs/" + JOB_ID)));
  }

  @Test
  void onSchedule_should_fail_the_invocation_with_the_cause_when_batch_is_unreachable() {
    // given the timer handler over a launcher whose Batch endpoint has gone away
    batch.stop();
    Function<ScheduledTick, LaunchedTraining> onSchedule = tick -> {
      String id = launcher.launch(JOB);
      return new LaunchedTraining("iris", JOB.version(), id, JOB.candidatePrefix());
    };
    RetrainFunction timer = new RetrainFunction(new ScheduledRetraining(onSchedule, List.of("iris"),
        Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC)));
    Invocation invocation = new Invocation("onSchedule");

    // when it fires, then the invocation fails, carrying the launcher's cause
    assertThatThrownBy(() -> timer.run("{}", invocation))
        .isInstanceOf(ScheduledRetraining.RetrainingFailed.class)
        .hasMessageContaining("did not answer")
        .hasCauseInstanceOf(TrainingLaunchException.class);
  }

  @Test
  void onSchedule_should_log_the_job_id_when_the_job_is_submitted() {
    batch.stubFor(post(urlPathEqualTo("/jobs")).willReturn(aResponse().withStatus(201)));
    batch.stubFor(post(urlPathEqualTo("/jobs/" + JOB_ID + "/tasks")).willReturn(aResponse().withStatus(201)));
    Function<ScheduledTick, LaunchedTraining> onSchedule = tick -> new LaunchedTraining("iris", JOB.version(), launcher.launch(JOB), JOB.candidatePrefix());
    Invocation invocation = new Invocation("onSchedule");

    new RetrainFunction(new ScheduledRetraining(onSchedule, List.of("iris"), Clock.systemUTC())).run("{}", invocation);

    assertThat(invocation.logged()).contains("INFO retraining iris: Azure Batch job " + JOB_ID + " writes candidates/iris/20261122-030000/");
  }
}
