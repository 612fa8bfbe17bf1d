package io.triad.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triad.aws.testing.CloudCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test double of AWS Batch's {@code SubmitJob} (the service cannot run here), on 127.0.0.1 behind
 * the SDK's endpoint override. It takes the request the SDK sends ({@code POST /v1/submitjob},
 * SigV4 signed, JSON) and runs the job as Batch would: the job definition's image, whose entrypoint
 * is the trainer, with {@code containerOverrides.command} as the container's command (Docker's CMD,
 * after the image's ENTRYPOINT; the stack's definition has no command of its own), and the
 * definition's environment plus the overrides. What an EC2 host would give the container (the job
 * role's credentials, the emulator's endpoint) comes from {@code hostEnvironment}. An unknown queue
 * or job definition is refused as Batch refuses it; nothing else of Batch (states, retries,
 * timeouts) is modelled.
 */
final class FakeAwsBatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The region the functions' clients sign for here (AwsSettings' default). */
  static final String REGION = "us-east-1";

  private static final java.util.regex.Pattern SCOPE =
      java.util.regex.Pattern.compile(
          "Credential=[^/]+/\\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request");
  private static final java.util.regex.Pattern JOB_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

  /** SubmitJob's request fields (AWS Batch API reference). */
  private static final java.util.Set<String> SUBMIT_JOB_FIELDS =
      java.util.Set.of(
          "jobName",
          "jobQueue",
          "jobDefinition",
          "shareIdentifier",
          "schedulingPriorityOverride",
          "arrayProperties",
          "dependsOn",
          "parameters",
          "containerOverrides",
          "nodeOverrides",
          "retryStrategy",
          "propagateTags",
          "timeout",
          "tags",
          "eksPropertiesOverride",
          "ecsPropertiesOverride",
          "consumableResourcePropertiesOverride");

  private static final java.util.Set<String> CONTAINER_OVERRIDE_FIELDS =
      java.util.Set.of(
          "vcpus", "memory", "command", "instanceType", "environment", "resourceRequirements");

  private final HttpServer server;
  private final TrainerImage image;
  private final String jobQueue;
  private final String jobDefinition;
  private final Map<String, String> definitionEnvironment;
  private final Map<String, String> hostEnvironment;
  private final TrainingRuns runs = new TrainingRuns();
  private final java.util.concurrent.atomic.AtomicInteger refusals =
      new java.util.concurrent.atomic.AtomicInteger();

  FakeAwsBatch(
      TrainerImage image,
      String jobQueue,
      String jobDefinition,
      Map<String, String> definitionEnvironment,
      Map<String, String> hostEnvironment)
      throws IOException {
    this.image = image;
    this.jobQueue = jobQueue;
    this.jobDefinition = jobDefinition;
    this.definitionEnvironment = Map.copyOf(definitionEnvironment);
    this.hostEnvironment = Map.copyOf(hostEnvironment);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/submitjob", this::submitJob);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  TrainingRuns runs() {
    return runs;
  }

  /** The next {@code count} valid submissions are refused, as a disabled job queue refuses them. */
  void refuseNext(int count) {
    refusals.set(count);
  }

  private void submitJob(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (!"POST".equals(exchange.getRequestMethod())
          || authorization == null
          || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
        refuse(exchange, 403, "AccessDeniedException", "a signed POST is expected");
        return;
      }
      // the credential scope names the service and region the request was signed for
      java.util.regex.Matcher scope = SCOPE.matcher(authorization);
      if (!scope.find() || !scope.group(1).equals(REGION) || !scope.group(2).equals("batch")) {
        refuse(
            exchange,
            403,
            "InvalidSignatureException",
            "Credential should be scoped to a valid region and service batch: " + authorization);
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      String invalid = invalid(request);
      if (invalid != null) {
        refuse(exchange, 400, "ClientException", invalid);
        return;
      }
      // SubmitJob is authorized on the queue and the definition (with its revision); this double's
      // queue and definition stand for the stack's
      CloudCalls.record(
          "batch",
          exchange.getRequestHeaders().getFirst("User-Agent"),
          "batch:SubmitJob",
          List.of(
              "job-queue/" + (jobQueue.equals(request.path("jobQueue").asText()) ? "QUEUE" : "?"),
              "job-definition/"
                  + (jobDefinition.equals(request.path("jobDefinition").asText())
                      ? "DEFINITION" + jobDefinition.substring(jobDefinition.indexOf(':'))
                      : "?")),
          200);
      if (!jobQueue.equals(request.path("jobQueue").asText())) {
        refuse(
            exchange,
            400,
            "ClientException",
            "JobQueue " + request.path("jobQueue").asText() + " not found");
        return;
      }
      if (!jobDefinition.equals(request.path("jobDefinition").asText())) {
        refuse(
            exchange,
            400,
            "ClientException",
            "JobDefinition " + request.path("jobDefinition").asText() + " not found");
        return;
      }
      if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        refuse(
            exchange,
            400,
            "ClientException",
            "Job queue " + jobQueue + " is not in the ENABLED state and cannot accept jobs");
        return;
      }
      String jobId = UUID.randomUUID().toString();
      String jobName = request.path("jobName").asText();
      runs.add(run(jobName + "-" + jobId, request.path("containerOverrides")));
      ObjectNode answer =
          JSON.createObjectNode()
              .put("jobArn", "arn:aws:batch:us-east-1:123456789012:job/" + jobId)
              .put("jobName", jobName)
              .put("jobId", jobId);
      send(exchange, 200, JSON.writeValueAsBytes(answer), Map.of());
    }
  }

  /** What SubmitJob refuses in a request: a missing or malformed required field, an unknown one. */
  private static String invalid(JsonNode request) {
    for (String required : List.of("jobName", "jobQueue", "jobDefinition")) {
      if (!request.path(required).isTextual() || request.path(required).asText().isEmpty()) {
        return required + " is required";
      }
    }
    if (!JOB_NAME.matcher(request.path("jobName").asText()).matches()) {
      return "jobName must be 1-128 letters, digits, hyphens or underscores, starting with a letter"
          + " or digit: "
          + request.path("jobName").asText();
    }
    for (String field : (Iterable<String>) request::fieldNames) {
      if (!SUBMIT_JOB_FIELDS.contains(field)) {
        return "SubmitJob has no field " + field;
      }
    }
    for (String field : (Iterable<String>) request.path("containerOverrides")::fieldNames) {
      if (!CONTAINER_OVERRIDE_FIELDS.contains(field)) {
        return "containerOverrides has no field " + field;
      }
    }
    return null;
  }

  private TrainingRun run(String id, JsonNode overrides) {
    List<String> command = new ArrayList<>();
    overrides.path("command").forEach(argument -> command.add(argument.asText()));
    Map<String, String> environment = new LinkedHashMap<>(definitionEnvironment);
    overrides
        .path("environment")
        .forEach(pair -> environment.put(pair.path("name").asText(), pair.path("value").asText()));
    environment.putAll(hostEnvironment);
    // what Batch sets in every job's container
    environment.put("AWS_BATCH_JOB_ID", id);
    // the command override is the container's command: the image's entrypoint stays
    return image.run(id, null, command, environment);
  }

  private static void refuse(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("__type", type, "message", message));
    send(exchange, status, body, Map.of("x-amzn-ErrorType", type));
  }

  private static void send(
      HttpExchange exchange, int status, byte[] body, Map<String, String> headers)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    headers.forEach(exchange.getResponseHeaders()::add);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    runs.close();
  }
}
