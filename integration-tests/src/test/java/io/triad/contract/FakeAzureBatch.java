package io.triad.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test double of the Azure Batch REST API (the service cannot run here) on 127.0.0.1: {@code POST
 * /jobs} then {@code POST /jobs/{id}/tasks}, each with the bearer token the launcher got from its
 * credential and an {@code api-version}. A task runs as Batch runs one on a container pool: the
 * task must name {@code containerSettings} (Batch refuses a task without them on such a pool); its
 * image must be the pool's, the one image this double has (Batch would pull another, which this
 * double cannot); its {@code commandLine} is split into words without a shell (quotes honoured,
 * nothing expanded) and becomes the container's command, after the image's ENTRYPOINT ({@code
 * --entrypoint} in {@code containerRunOptions} replaces that), with the task's {@code
 * environmentSettings}. So a command line that names a shell or the trainer again is handed to the
 * trainer as its arguments, as on a node. What a node would give the task besides (a managed
 * identity for Blob storage; here Azurite's connection string) is {@link #nodeEnvironment(Map)}.
 * Get Task answers {@code running} or {@code completed}: a task starts at once here, so no task
 * waits for a node ({@code active}). Pool creation and retries are not modelled.
 */
final class FakeAzureBatch implements AutoCloseable {
  static final String BATCH_AUDIENCE = "https://batch.core.windows.net/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final TrainerImage image;
  private final String token;
  private final String pool;
  private final String poolImage;
  private volatile Map<String, String> nodeEnvironment = Map.of();
  private final Set<String> jobs = ConcurrentHashMap.newKeySet();
  private final TrainingRuns runs = new TrainingRuns();

  /** A Batch account with one container pool, {@code pool}, whose nodes run {@code poolImage}. */
  FakeAzureBatch(TrainerImage image, String token, String pool, String poolImage)
      throws IOException {
    this.image = image;
    this.token = token;
    this.pool = pool;
    this.poolImage = poolImage;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jobs", this::jobs);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** What the pool's nodes give every task besides its own settings; set before the first task. */
  void nodeEnvironment(Map<String, String> environment) {
    this.nodeEnvironment = Map.copyOf(environment);
  }

  TrainingRuns runs() {
    return runs;
  }

  private void jobs(HttpExchange exchange) throws IOException {
    try (exchange) {
      // Batch takes only tokens for its own audience, https://batch.core.windows.net/ (with the
      // slash)
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + token + "|aud=" + BATCH_AUDIENCE).equals(authorization)) {
        refuse(
            exchange,
            401,
            "AuthenticationFailed",
            authorization != null && authorization.startsWith("Bearer " + token + "|aud=")
                ? "the token's audience is not " + BATCH_AUDIENCE
                : "no valid bearer token for Batch");
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      if (query == null || !query.startsWith("api-version=")) {
        refuse(exchange, 400, "MissingRequiredQueryParameter", "api-version is required");
        return;
      }
      String[] path = exchange.getRequestURI().getPath().split("/");
      String method = exchange.getRequestMethod();
      // the data action Batch authorizes each call with, for the permission checks
      String action =
          method.equals("DELETE")
              ? "jobs/delete"
              : path.length >= 4
                  ? method.equals("GET") ? "jobs/tasks/read" : "jobs/tasks/write"
                  : method.equals("POST") ? "jobs/write" : "jobs/read";
      io.triad.permissions.AzureCallRecorder.recordAction(
          "batch",
          "Microsoft.Batch/batchAccounts/" + action,
          exchange.getRequestURI().getPath(),
          0);
      if (method.equals("POST") && path.length == 2) {
        addJob(exchange, JSON.readTree(exchange.getRequestBody()));
      } else if (method.equals("POST") && path.length == 4 && path[3].equals("tasks")) {
        addTask(exchange, path[2], JSON.readTree(exchange.getRequestBody()));
      } else if (method.equals("GET") && path.length == 5 && path[3].equals("tasks")) {
        task(exchange, path[2], path[4]);
      } else if (method.equals("DELETE") && path.length == 3) {
        jobs.remove(path[2]);
        exchange.sendResponseHeaders(202, -1);
      } else {
        refuse(
            exchange, 404, "ResourceNotFound", method + " " + exchange.getRequestURI().getPath());
      }
    }
  }

  /**
   * Get Task: a task that was added runs at once here (no node is waited for), so it is {@code
   * running} until its container exits, then {@code completed} with Batch's result for the exit
   * code.
   */
  private void task(HttpExchange exchange, String jobId, String taskId) throws IOException {
    if (!jobs.contains(jobId)) {
      refuse(exchange, 404, "JobNotFound", "The specified job does not exist.");
      return;
    }
    TrainingRun run =
        runs.all().stream().filter(r -> r.jobId().equals(jobId)).findFirst().orElse(null);
    if (run == null) {
      refuse(exchange, 404, "TaskNotFound", "The specified task does not exist.");
      return;
    }
    com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode();
    answer.put("id", taskId);
    if (run.finished().isDone()) {
      int exit = run.finished().getNow(-1);
      answer.put("state", "completed");
      com.fasterxml.jackson.databind.node.ObjectNode execution = answer.putObject("executionInfo");
      execution.put("exitCode", exit);
      execution.put("result", exit == 0 ? "success" : "failure");
    } else {
      answer.put("state", "running");
    }
    byte[] body = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json; odata=minimalmetadata");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  private void addJob(HttpExchange exchange, JsonNode job) throws IOException {
    if (!pool.equals(job.path("poolInfo").path("poolId").asText())) {
      refuse(exchange, 409, "PoolNotFound", "The specified pool does not exist.");
      return;
    }
    if (!jobs.add(job.path("id").asText())) {
      refuse(exchange, 409, "JobExists", "The specified job already exists.");
      return;
    }
    exchange.sendResponseHeaders(201, -1);
  }

  private void addTask(HttpExchange exchange, String jobId, JsonNode task) throws IOException {
    if (!jobs.contains(jobId)) {
      refuse(exchange, 404, "JobNotFound", "The specified job does not exist.");
      return;
    }
    JsonNode container = task.path("containerSettings");
    if (!container.isObject()) {
      refuse(
          exchange,
          400,
          "InvalidPropertyValue",
          "containerSettings: a task in a pool with a container configuration must set them");
      return;
    }
    if (!poolImage.equals(container.path("imageName").asText())) {
      refuse(
          exchange,
          400,
          "InvalidPropertyValue",
          "containerSettings.imageName: this double's pool runs "
              + poolImage
              + " only, not "
              + container.path("imageName").asText());
      return;
    }
    List<String> command = words(task.path("commandLine").asText());
    Map<String, String> environment = new LinkedHashMap<>();
    task.path("environmentSettings")
        .forEach(
            setting ->
                environment.put(setting.path("name").asText(), setting.path("value").asText()));
    environment.putAll(nodeEnvironment);
    // what Batch sets in every task's environment
    environment.put("AZ_BATCH_JOB_ID", jobId);
    environment.put("AZ_BATCH_TASK_ID", task.path("id").asText("trainer"));
    runs.add(
        image.run(
            jobId,
            entrypoint(container.path("containerRunOptions").asText("")),
            command,
            environment));
    exchange.sendResponseHeaders(201, -1);
  }

  /** The {@code --entrypoint} among {@code docker create} options, or null to keep the image's. */
  private static String entrypoint(String runOptions) {
    List<String> options = words(runOptions);
    for (int i = 0; i < options.size(); i++) {
      if (options.get(i).equals("--entrypoint") && i + 1 < options.size()) {
        return options.get(i + 1);
      }
      if (options.get(i).startsWith("--entrypoint=")) {
        return options.get(i).substring("--entrypoint=".length());
      }
    }
    return null;
  }

  /** Splits a command line into words as a POSIX shell does, without expanding anything. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      word = word == null ? new StringBuilder() : word;
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated single quote in: " + line);
        }
        word.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        i = doubleQuoted(line, i + 1, word);
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * Appends a double-quoted part that starts at {@code from}; returns the index of its closing
   * quote.
   */
  private static int doubleQuoted(String line, int from, StringBuilder word) {
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
        c = line.charAt(++i);
      }
      word.append(c);
    }
    throw new IllegalArgumentException("unterminated double quote in: " + line);
  }

  private static void refuse(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    byte[] body =
        JSON.writeValueAsBytes(
            Map.of("code", code, "message", Map.of("lang", "en-US", "value", message)));
    exchange.getResponseHeaders().add("Content-Type", "application/json;odata=minimalmetadata");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    runs.close();
  }
}
