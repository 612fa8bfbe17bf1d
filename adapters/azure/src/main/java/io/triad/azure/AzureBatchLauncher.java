package io.triad.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.training.PlacementTarget;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import io.triad.settings.AzureContract;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a retraining run to Azure Batch through its REST API: one job in the configured pool and
 * one container task in the trainer image whose command line is {@link TrainingJob#arguments()}.
 * Batch runs a container task's command line as the container's command, after the image's
 * ENTRYPOINT (Docker's ENTRYPOINT + CMD rule), and the trainer image's ENTRYPOINT is the trainer
 * ({@code models/Dockerfile}), so the command line holds its arguments and nothing else: a {@code
 * /bin/sh -c …} line would be handed to the trainer as its arguments. The job ends itself when the
 * task does. Calls carry an Entra token for Batch (the app's managed identity); the REST API needs
 * neither the legacy SDK nor its reflective {@code --add-opens}.
 *
 * <p>A pool's nodes are dedicated or low-priority by the pool, not by the job, and a Batch account
 * is in one region, so a job placed on a target ({@link TrainingJob#placement()}) is taken only
 * when the pool is that target ({@code TRIAD_BATCH_PLACEMENT}); any other Azure target is refused
 * as unavailable. Refusals are told apart: 429 and the account's job quota ({@code
 * ActiveJobAndScheduleQuotaReached}) are quota, 5xx and no answer the service's, other 4xx a
 * rejection.
 */
public final class AzureBatchLauncher implements TrainingLauncher {
  static final String API_VERSION = "2024-07-01.20.0";
  static final String TASK_ID = "trainer";

  /**
   * Batch's Entra resource is {@code https://batch.core.windows.net/}, with the trailing slash, so
   * its scope has two (as Microsoft's own Batch SDKs ask): a token for the audience without the
   * slash is refused by the Batch service.
   */
  static final String SCOPE = "https://batch.core.windows.net//.default";

  private static final java.util.regex.Pattern PLAIN =
      java.util.regex.Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private static final Logger log = LoggerFactory.getLogger(AzureBatchLauncher.class);

  private final URI account;
  private final String pool;
  private final String trainerImage;
  private final String trainerIdentity;
  private final PlacementTarget poolTarget;

  /** Placements name Azure {@code azure}. */
  public static final String CLOUD = "azure";

  private final TokenCredential credential;
  private final HttpClient http;
  private final ObjectMapper json;

  public AzureBatchLauncher(
      AzureSettings settings, TokenCredential credential, HttpClient http, ObjectMapper json) {
    if (!settings.hasBatch()) {
      throw new IllegalArgumentException(
          "set "
              + AzureSettings.BATCH_ENDPOINT
              + " and "
              + AzureSettings.BATCH_POOL
              + " to retrain on Azure Batch");
    }
    this.account = URI.create(settings.batchEndpoint().replaceAll("/+$", "") + "/");
    this.pool = settings.batchPool();
    if (!settings.hasTrainerImage()) {
      throw new IllegalArgumentException(
          "set "
              + AzureSettings.TRAINER_IMAGE
              + ": the trainer runs in its image on the Batch pool, whose nodes have no JRE");
    }
    this.trainerImage = settings.trainerImage();
    this.trainerIdentity = settings.hasTrainerIdentity() ? settings.trainerIdentity() : null;
    this.poolTarget =
        settings.batchPlacement() == null || settings.batchPlacement().isBlank()
            ? null
            : PlacementTarget.parse(settings.batchPlacement());
    this.credential = credential;
    this.http = http;
    this.json = json;
  }

  @Override
  public String cloud() {
    return CLOUD;
  }

  /** Only what the stack's pool is (its location, spot or on demand). */
  @Override
  public boolean takes(PlacementTarget target) {
    return target.equals(poolTarget);
  }

  @Override
  public String launch(TrainingJob job) {
    if (job.placement() != null && !job.placement().equals(poolTarget)) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.UNAVAILABLE,
          poolTarget == null
              ? "the app does not say what its Batch pool "
                  + pool
                  + " is ("
                  + AzureSettings.BATCH_PLACEMENT
                  + " is not set), so it takes no job placed on "
                  + job.placement()
              : "the Batch pool " + pool + " is " + poolTarget + ", not " + job.placement());
    }
    String jobId = jobId(job);
    // refused before anything is created
    String commandLine = commandLine(job);
    String token = token();
    post(token, "jobs", jobBody(jobId), "create job " + jobId + " in pool " + pool);
    try {
      post(
          token,
          "jobs/" + encode(jobId) + "/tasks",
          taskBody(job, commandLine),
          "add the trainer task to job " + jobId);
    } catch (TrainingLaunchException e) {
      // a job with no task would sit in the account until someone deletes it
      deleteQuietly(token, jobId);
      throw e;
    }
    log.info(
        "Azure Batch job {} in pool {} trains {} version {}",
        jobId,
        pool,
        job.model(),
        job.version());
    return jobId;
  }

  /**
   * What the job's trainer task is doing, as Batch's Get Task says: {@code active} (queued: no node
   * of the pool has taken it, as when low-priority nodes are preempted or not allocated) waits,
   * {@code preparing} and {@code running} run, {@code completed} ended (with its result); a job or
   * task Batch no longer knows ended. A job is not withdrawn here ({@link #cancel} stays false):
   * the app launches into one pool, so there is nowhere in Azure to move it to, and a waiting job
   * is left to wait.
   */
  @Override
  public JobState state(String jobId) {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              request(token(), "jobs/" + encode(jobId) + "/tasks/" + encode(TASK_ID)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "Azure Batch at "
              + account
              + " did not answer about job "
              + jobId
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Azure Batch about " + jobId, e);
    }
    if (response.statusCode() == 404) {
      return new JobState(JobState.Phase.ENDED, "not found: " + reason(response.body()));
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "Azure Batch did not say what job "
              + jobId
              + " is doing: HTTP "
              + response.statusCode()
              + " "
              + reason(response.body()));
    }
    JsonNode task;
    try {
      task = json.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("Azure Batch answered about " + jobId + " with no JSON", e);
    }
    String state = task.path("state").asText("");
    JsonNode execution = task.path("executionInfo");
    String detail =
        state
            + (execution.has("result") ? " (" + execution.path("result").asText() + ")" : "")
            + (execution.path("failureInfo").has("message")
                ? ": " + execution.path("failureInfo").path("message").asText()
                : "");
    JobState.Phase phase =
        switch (state) {
          case "active" -> JobState.Phase.WAITING;
          case "preparing", "running" -> JobState.Phase.RUNNING;
          case "completed" -> JobState.Phase.ENDED;
          default -> JobState.Phase.UNKNOWN;
        };
    return new JobState(phase, detail);
  }

  /** Batch ids allow letters, digits, '-' and '_', at most 64 characters. */
  static String jobId(TrainingJob job) {
    String id = ("triad-" + job.model() + "-" + job.version()).replaceAll("[^A-Za-z0-9_-]", "-");
    return id.length() > 64 ? id.substring(0, 64) : id;
  }

  /**
   * The task's command line: the trainer's arguments, which the image's ENTRYPOINT receives. Batch
   * runs no shell for it and documents no quoting, so an argument that would need quotes is refused
   * here rather than split on the node.
   */
  static String commandLine(TrainingJob job) {
    for (String argument : job.arguments()) {
      if (!PLAIN.matcher(argument).matches()) {
        throw new TrainingLaunchException(
            TrainingLaunchException.Refusal.REJECTED,
            "Azure Batch hands a container task's command line to the container without a shell,"
                + " so each argument may hold only letters, digits and _./:=@%+,- and not: "
                + argument);
      }
    }
    return String.join(" ", job.arguments());
  }

  private Map<String, Object> jobBody(String jobId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", jobId);
    body.put("poolInfo", Map.of("poolId", pool));
    body.put("onAllTasksComplete", "terminatejob");
    return body;
  }

  private Map<String, Object> taskBody(TrainingJob job, String commandLine) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", TASK_ID);
    body.put("displayName", "train " + job.model() + " " + job.version());
    body.put("commandLine", commandLine);
    // infra's pool is a container pool, and Batch requires container settings on a task there
    body.put("containerSettings", Map.of("imageName", trainerImage));
    body.put("environmentSettings", environment());
    body.put(
        "userIdentity", Map.of("autoUser", Map.of("scope", "pool", "elevationLevel", "nonadmin")));
    return body;
  }

  private List<Map<String, String>> environment() {
    List<Map<String, String>> environment = new ArrayList<>();
    // ONNX Runtime 1.29's Linux telemetry crashes the JVM on long command lines
    environment.add(Map.of("name", AzureContract.ORT_DISABLE_TELEMETRY, "value", "1"));
    if (trainerIdentity != null) {
      // the pool may carry several identities; DefaultAzureCredential takes the one AZURE_CLIENT_ID
      // names
      environment.add(Map.of("name", "AZURE_CLIENT_ID", "value", trainerIdentity));
    }
    return environment;
  }

  private void post(String token, String path, Map<String, Object> body, String what) {
    HttpResponse<String> response;
    try {
      HttpRequest request =
          request(token, path)
              .header("Content-Type", "application/json; odata=minimalmetadata")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
              .build();
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.SERVICE,
          "Azure Batch at " + account + " did not answer to " + what + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.SERVICE,
          "interrupted while asking Azure Batch to " + what,
          e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new TrainingLaunchException(
          refusal(response.statusCode(), response.body()),
          "Azure Batch refused to "
              + what
              + ": HTTP "
              + response.statusCode()
              + " "
              + reason(response.body()));
    }
  }

  /** How Batch refused a call, from its status and error code. */
  static TrainingLaunchException.Refusal refusal(int status, String body) {
    if (status == 429 || (body != null && body.contains("ActiveJobAndScheduleQuotaReached"))) {
      return TrainingLaunchException.Refusal.QUOTA;
    }
    return status >= 500
        ? TrainingLaunchException.Refusal.SERVICE
        : TrainingLaunchException.Refusal.REJECTED;
  }

  private void deleteQuietly(String token, String jobId) {
    try {
      HttpResponse<Void> response =
          http.send(
              request(token, "jobs/" + encode(jobId)).DELETE().build(),
              HttpResponse.BodyHandlers.discarding());
      log.info("deleted the half-made Batch job {} (HTTP {})", jobId, response.statusCode());
    } catch (IOException e) {
      log.warn("could not delete the half-made Batch job {}: {}", jobId, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest.Builder request(String token, String path) {
    return HttpRequest.newBuilder(account.resolve(path + "?api-version=" + API_VERSION))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("client-request-id", UUID.randomUUID().toString())
        .header("return-client-request-id", "true");
  }

  private String token() {
    try {
      return credential.getTokenSync(new TokenRequestContext().addScopes(SCOPE)).getToken();
    } catch (RuntimeException e) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.REJECTED,
          "no token for Azure Batch (is the app's managed identity allowed on the Batch account?): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Batch errors are {@code {"code": ..., "message": {"value": ...}}}; anything else is shown as it
   * came.
   */
  private String reason(String body) {
    try {
      JsonNode error = json.readTree(body);
      String code = error.path("code").asText("");
      String message = error.path("message").path("value").asText(error.path("message").asText(""));
      if (!code.isEmpty() || !message.isEmpty()) {
        return (code + ": " + message).trim();
      }
    } catch (IOException notJson) {
      // fall through to the raw body
    }
    return body == null || body.isBlank()
        ? "(no body)"
        : body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }
}
