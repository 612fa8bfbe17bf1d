package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Azure Batch double runs a container task as Batch does: the task's command line after the
 * image's ENTRYPOINT. A command line that starts its own shell (what the launcher once sent)
 * reaches the trainer as its arguments, and the trainer fails.
 */
class FakeAzureBatchTest {
  private static final String TOKEN = "t";
  private static final String POOL = "triad-gpu";
  private static final String IMAGE = "triadtrainer.azurecr.io/triad-trainer:test";
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path work;

  @Test
  void task_should_hand_a_shell_command_line_to_the_trainer_as_its_arguments() throws Exception {
    try (FakeAzureBatch batch = new FakeAzureBatch(new TrainerImage(work), TOKEN, POOL, IMAGE)) {
      job(batch, "old");
      String shellLine =
          "/bin/sh -c 'java -Dai.djl.offline=true -cp '\"'\"'/opt/triad/lib/*'\"'\"'"
              + " io.triad.models.TrainerMain --store file:///tmp/none --model iris"
              + " --version v1 --data data/iris/train.csv --output candidates/iris/v1/'";

      assertThat(task(batch, "old", shellLine, "{\"imageName\":\"" + IMAGE + "\"}"))
          .startsWith("201");
      TrainingRun run = batch.runs().all().get(0);

      assertThat(run.arguments()).startsWith("/bin/sh", "-c");
      assertThat(run.awaitExit(EXIT)).isEqualTo(1);
      assertThat(run.output()).contains("trainer: error:");
    }
  }

  @Test
  void task_should_run_the_entrypoint_override_and_refuse_a_task_without_container_settings()
      throws Exception {
    try (FakeAzureBatch batch = new FakeAzureBatch(new TrainerImage(work), TOKEN, POOL, IMAGE)) {
      job(batch, "j");

      assertThat(task(batch, "j", "-c 'exit 3'", null))
          .startsWith("400")
          .contains("containerSettings");
      assertThat(
              task(
                  batch,
                  "j",
                  "-c 'exit 3'",
                  "{\"imageName\":\"other:1\",\"containerRunOptions\":\"--entrypoint /bin/sh\"}"))
          .startsWith("400")
          .contains("imageName");
      assertThat(
              task(
                  batch,
                  "j",
                  "-c 'exit 3'",
                  "{\"imageName\":\""
                      + IMAGE
                      + "\",\"containerRunOptions\":\"--rm --entrypoint /bin/sh\"}"))
          .startsWith("201");

      TrainingRun run = batch.runs().all().get(0);
      assertThat(run.arguments()).isEmpty();
      assertThat(run.awaitExit(EXIT)).isEqualTo(3);
      // Get Task, as the launcher asks what a job is doing
      assertThat(get(batch, "/jobs/j/tasks/trainer"))
          .startsWith("200")
          .contains("\"state\":\"completed\"")
          .contains("\"exitCode\":3")
          .contains("\"result\":\"failure\"");
      assertThat(get(batch, "/jobs/none/tasks/trainer")).startsWith("404").contains("JobNotFound");
    }
  }

  private static void job(FakeAzureBatch batch, String id) throws Exception {
    assertThat(
            send(
                batch,
                "/jobs",
                "{\"id\":\"" + id + "\",\"poolInfo\":{\"poolId\":\"" + POOL + "\"}}"))
        .startsWith("201");
  }

  private static String task(
      FakeAzureBatch batch, String job, String commandLine, String containerSettings)
      throws Exception {
    String settings =
        containerSettings == null ? "" : ",\"containerSettings\":" + containerSettings;
    return send(
        batch,
        "/jobs/" + job + "/tasks",
        "{\"id\":\"trainer\",\"commandLine\":"
            + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(commandLine)
            + settings
            + "}");
  }

  private static String send(FakeAzureBatch batch, String path, String body) throws Exception {
    return call(
        batch, path, HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static String get(FakeAzureBatch batch, String path) throws Exception {
    return call(batch, path, HttpRequest.newBuilder().GET());
  }

  /** A call as the launcher makes it: Batch's token and an api-version. */
  private static String call(FakeAzureBatch batch, String path, HttpRequest.Builder request)
      throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                request
                    .uri(URI.create(batch.endpoint() + path + "?api-version=1"))
                    .header(
                        "Authorization",
                        "Bearer " + TOKEN + "|aud=" + FakeAzureBatch.BATCH_AUDIENCE)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
