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
 * or job definition is refused as Batch refuses it. {@code DescribeJobs} reports a job RUNNING from
 * its submission (no queueing or machine start) until the trainer exits, then SUCCEEDED or FAILED
 * with the exit code; a job whose image was never pushed to the registry fails as Batch fails it
 * (CannotPullContainerError). Retries and timeouts are not modelled.
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
  private volatile String jobQueue;
  private volatile String jobDefinition;
  private volatile Map<String, String> definitionEnvironment;
  private final Map<String, String> hostEnvironment;
  private final TrainingRuns runs = new TrainingRuns();
  private final java.util.concurrent.atomic.AtomicInteger refusals =
      new java.util.concurrent.atomic.AtomicInteger();
  private final String region;
  private volatile String definitionImage;
  private final java.util.function.Predicate<String> pushed;
  private final Map<String, Job> jobs = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Long> stopped = new java.util.concurrent.ConcurrentHashMap<>();

  /** A job as DescribeJobs tells it: null {@code run} when its image could not be pulled. */
  private record Job(
      String jobId, String jobName, long createdAt, TrainingRun run, String pullError) {}

  FakeAwsBatch(
      TrainerImage image,
      String jobQueue,
      String jobDefinition,
      Map<String, String> definitionEnvironment,
      Map<String, String> hostEnvironment)
      throws IOException {
    this(
        image,
        REGION,
        jobQueue,
        jobDefinition,
        null,
        ref -> true,
        definitionEnvironment,
        hostEnvironment);
  }

  /**
   * A queue and definition in {@code region} whose image is {@code definitionImage}, which runs
   * only once {@code pushed} says the registry holds it.
   */
  FakeAwsBatch(
      TrainerImage image,
      String region,
      String jobQueue,
      String jobDefinition,
      String definitionImage,
      java.util.function.Predicate<String> pushed,
      Map<String, String> definitionEnvironment,
      Map<String, String> hostEnvironment)
      throws IOException {
    this(image, region, pushed, hostEnvironment);
    create(jobQueue, jobDefinition, definitionImage, definitionEnvironment);
  }

  /**
   * Batch in {@code region} with no queue yet: every submission is refused until {@link #create}.
   */
  FakeAwsBatch(
      TrainerImage image,
      String region,
      java.util.function.Predicate<String> pushed,
      Map<String, String> hostEnvironment)
      throws IOException {
    this.region = region;
    this.pushed = pushed;
    this.image = image;
    this.hostEnvironment = Map.copyOf(hostEnvironment);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/submitjob", this::submitJob);
    server.createContext("/v1/describejobs", this::describeJobs);
    server.start();
  }

  /** The queue and job definition, as a deploy makes them. */
  void create(
      String queue,
      String definition,
      String definitionImage,
      Map<String, String> definitionEnvironment) {
    this.definitionImage = definitionImage;
    this.definitionEnvironment = Map.copyOf(definitionEnvironment);
    this.jobDefinition = definition;
    this.jobQueue = queue;
  }

  /** The queue and definition gone, as a destroy leaves them; running trainers are stopped. */
  void delete() {
    this.jobQueue = null;
    this.jobDefinition = null;
    runs.close();
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
      if (!scope.find() || !scope.group(1).equals(region) || !scope.group(2).equals("batch")) {
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
      // SubmitJob is authorized on the queue and the definition (with its revision; a name alone
      // is its latest revision, the first here); this double's queue and definition stand for the
      // stack's
      String queue = jobQueue;
      String definition = jobDefinition;
      String askedQueue = request.path("jobQueue").asText();
      String askedDefinition = request.path("jobDefinition").asText();
      boolean knownQueue = askedQueue.equals(queue);
      boolean knownDefinition =
          definition != null
              && (askedDefinition.equals(definition)
                  || (!definition.contains(":") && askedDefinition.equals(definition + ":1")));
      String revision =
          askedDefinition.contains(":")
              ? askedDefinition.substring(askedDefinition.indexOf(':'))
              : ":1";
      CloudCalls.record(
          "batch",
          exchange.getRequestHeaders().getFirst("User-Agent"),
          "batch:SubmitJob",
          List.of(
              "job-queue/" + (knownQueue ? "QUEUE" : "?"),
              "job-definition/" + (knownDefinition ? "DEFINITION" + revision : "?")),
          200);
      if (!knownQueue) {
        refuse(exchange, 400, "ClientException", "JobQueue " + askedQueue + " not found");
        return;
      }
      if (!knownDefinition) {
        refuse(exchange, 400, "ClientException", "JobDefinition " + askedDefinition + " not found");
        return;
      }
      if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        refuse(
            exchange,
            400,
            "ClientException",
            "Job queue " + queue + " is not in the ENABLED state and cannot accept jobs");
        return;
      }
      String jobId = UUID.randomUUID().toString();
      String jobName = request.path("jobName").asText();
      long created = System.currentTimeMillis();
      if (definitionImage != null && !pushed.test(definitionImage)) {
        jobs.put(
            jobId,
            new Job(
                jobId,
                jobName,
                created,
                null,
                "CannotPullContainerError: pull image manifest has been retried 5 time(s): "
                    + definitionImage
                    + ": not found"));
      } else {
        TrainingRun run = run(jobName + "-" + jobId, request.path("containerOverrides"));
        runs.add(run);
        jobs.put(jobId, new Job(jobId, jobName, created, run, null));
        run.finished()
            .whenComplete((exit, error) -> stopped.put(jobId, System.currentTimeMillis()));
      }
      ObjectNode answer =
          JSON.createObjectNode()
              .put("jobArn", "arn:aws:batch:" + region + ":123456789012:job/" + jobId)
              .put("jobName", jobName)
              .put("jobId", jobId);
      send(exchange, 200, JSON.writeValueAsBytes(answer), Map.of());
    }
  }

  /** DescribeJobs: each known job's status, times and exit; unknown ids are left out. */
  private void describeJobs(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      java.util.regex.Matcher scope = SCOPE.matcher(authorization == null ? "" : authorization);
      if (!scope.find() || !scope.group(1).equals(region) || !scope.group(2).equals("batch")) {
        refuse(exchange, 403, "InvalidSignatureException", "a SigV4 request for batch is expected");
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      List<String> asked = new java.util.ArrayList<>();
      request.path("jobs").forEach(id -> asked.add("job/" + id.asText()));
      // DescribeJobs takes no resource-level permission: the policy can only grant it on "*"
      CloudCalls.record(
          "batch",
          exchange.getRequestHeaders().getFirst("User-Agent"),
          "batch:DescribeJobs",
          asked.isEmpty() ? List.of("*") : asked,
          200);
      if (!request.path("jobs").isArray() || request.path("jobs").isEmpty()) {
        refuse(exchange, 400, "ClientException", "jobs is required");
        return;
      }
      if (request.path("jobs").size() > 100) {
        // DescribeJobs takes at most 100 job ids
        refuse(exchange, 400, "ClientException", "jobs must contain at most 100 items");
        return;
      }
      ObjectNode answer = JSON.createObjectNode();
      var list = answer.putArray("jobs");
      for (JsonNode id : request.path("jobs")) {
        Job job = jobs.get(id.asText());
        if (job == null) {
          continue;
        }
        ObjectNode detail =
            list.addObject()
                .put("jobId", job.jobId())
                .put("jobName", job.jobName())
                .put("jobQueue", jobQueue)
                .put("jobDefinition", jobDefinition)
                .put("createdAt", job.createdAt());
        ObjectNode container = detail.putObject("container");
        if (job.run() == null) {
          detail.put("status", "FAILED").put("statusReason", "Task failed to start");
          detail.put("stoppedAt", job.createdAt());
          container.put("reason", job.pullError());
          continue;
        }
        detail.put("startedAt", job.createdAt());
        Integer exit = job.run().finished().getNow(null);
        if (exit == null) {
          detail.put("status", "RUNNING");
        } else {
          detail
              .put("status", exit == 0 ? "SUCCEEDED" : "FAILED")
              .put("statusReason", "Essential container in task exited")
              .put("stoppedAt", stoppedAt(job));
          container.put("exitCode", exit);
        }
      }
      send(exchange, 200, JSON.writeValueAsBytes(answer), Map.of());
    }
  }

  private long stoppedAt(Job job) {
    return stopped.getOrDefault(job.jobId(), System.currentTimeMillis());
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
