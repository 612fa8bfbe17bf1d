package io.triad.infra.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import io.triad.infra.Cloud;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * The AWS smoke run: a small disposable stack from the user's {@code triad.yaml}, deployed with
 * Terraform, one training job on the GPU queue, its candidate through the gate, one upload scored,
 * the HTTP function asked, everything destroyed, and what it cost. Each step talks to AWS through
 * the real SDK clients and the real {@code terraform} and {@code docker} commands; pointed at the
 * test doubles (the {@code AWS_ENDPOINT_URL_*} variables, stand-ins for the two commands) it is
 * what {@code AwsSmokeIT} runs.
 */
final class AwsSmoke {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String MODEL = "iris";

  /** What the user chose; see {@link Smoke}'s usage. */
  record Options(
      Path config,
      String project,
      Path lambdaPackage,
      String image,
      Path data,
      String terraform,
      String docker,
      Path work,
      Duration timeout,
      boolean keep) {}

  private final Options options;
  private final Map<String, String> env;
  private final PrintStream out;
  private final Instant start = Instant.now();
  private final SmokeCost cost = new SmokeCost();
  private Tool terraform;
  private Path stack;
  private TriadConfig config;
  private SmokeClients aws;

  /** Set once an apply has begun: from then on something may exist that the teardown must end. */
  private boolean applying;

  AwsSmoke(Options options, Map<String, String> env, PrintStream out) {
    this.options = options;
    this.env = env;
    this.out = out;
  }

  /** Runs every step, tears down whatever was deployed; 0 when every step passed. */
  int run() {
    String failure = null;
    try {
      KeyPair signing = step("synthesize", this::synthesize);
      Map<String, String> outputs = step("deploy", this::deploy);
      aws = new SmokeClients(config.aws().region(), env);
      step("push the trainer image", () -> pushImage(outputs));
      step("store the signing key", () -> storeSigningKey(outputs, signing));
      step("upload the training data", () -> uploadTrainingData(outputs));
      TrainingStart launched = step("start one training job", () -> startTraining(outputs));
      JobDetail job = step("wait for the job", () -> awaitJob(launched));
      cost.job(job);
      step("wait for the gate", () -> awaitPromotion(outputs, launched));
      step("score one upload", () -> scoreUpload(outputs));
      step("ask the HTTP function", () -> askHttp(outputs, launched));
    } catch (SmokeFailure | UncheckedIOException e) {
      failure = e.getMessage();
      out.println("FAILED: " + failure);
    }
    boolean tornDown = true;
    if (applying && !options.keep()) {
      try {
        step("tear down", this::tearDown);
      } catch (SmokeFailure | UncheckedIOException e) {
        tornDown = false;
        out.println(
            "FAILED: "
                + e.getMessage()
                + "\n  resources may remain: run "
                + terraform.name()
                + " destroy in "
                + stack);
      }
    } else if (applying) {
      out.println("kept: the stack stays up; " + terraform.name() + " destroy in " + stack);
    }
    cost.wallClock(Duration.between(start, Instant.now()));
    if (config != null) {
      out.print(cost.render(config));
    }
    if (aws != null) {
      aws.close();
    }
    boolean passed = failure == null && tornDown;
    out.printf(
        Locale.ROOT,
        "smoke %s in %s%n",
        passed ? "PASSED" : "FAILED",
        SmokeCost.minutes(Duration.between(start, Instant.now())));
    return passed ? 0 : 1;
  }

  private <T> T step(String name, java.util.function.Supplier<T> body) {
    Instant begun = Instant.now();
    out.println("== " + name);
    out.flush();
    T result = body.get();
    out.printf(
        Locale.ROOT,
        "   %s: done in %.1f s%n",
        name,
        Duration.between(begun, Instant.now()).toMillis() / 1000.0);
    return result;
  }

  private void step(String name, Runnable body) {
    step(
        name,
        () -> {
          body.run();
          return null;
        });
  }

  /** The user's configuration made small and disposable, with a signing key of its own. */
  private KeyPair synthesize() {
    try {
      Files.createDirectories(options.work());
      KeyPair signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      ObjectNode tree = (ObjectNode) YAML.readTree(options.config().toFile());
      tree.put("project", options.project());
      tree.putArray("models").add(MODEL);
      tree.remove("state");
      // a disposable stack copies nothing to the other clouds, nor lets them in: their trust names
      // the real project's roles, and its functions would otherwise reach for Google's and
      // Entra's token services after each promotion
      tree.remove("replication");
      ObjectNode aws = tree.withObjectProperty("aws");
      aws.put("lambdaPackage", options.lambdaPackage().toAbsolutePath().toString());
      aws.put("disposable", true);
      aws.put("reserveConcurrency", false);
      tree.withObjectProperty("training").put("maxNodes", 1);
      tree.withObjectProperty("signing")
          .putArray("trustedKeys")
          .add(Base64.getEncoder().encodeToString(signing.getPublic().getEncoded()));
      Path file = options.work().resolve("triad-smoke.yaml");
      YAML.writeValue(file.toFile(), tree);
      config = new ConfigLoader().load(file);
      Path outdir = options.work().resolve("cdktf.out");
      App app = new App(AppConfig.builder().outdir(outdir.toAbsolutePath().toString()).build());
      Cloud.AWS.stack(app, config);
      app.synth();
      stack = outdir.resolve("stacks").resolve(Cloud.AWS.stackName());
      terraform = new Tool(options.terraform(), out);
      out.println(
          "   "
              + config.project()
              + " in "
              + config.aws().region()
              + ": "
              + stack.resolve("cdk.tf.json"));
      return signing;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new SmokeFailure("no Ed25519 in this JDK: " + e.getMessage());
    }
  }

  private Map<String, String> deploy() {
    cost.deployed(Instant.now());
    terraform.run(stack, null, List.of("init", "-input=false", "-no-color"));
    applying = true;
    terraform.run(
        stack,
        null,
        List.of(
            "apply",
            "-input=false",
            "-auto-approve",
            "-no-color",
            "-var",
            "lambda_package=" + options.lambdaPackage().toAbsolutePath()));
    try {
      JsonNode outputs =
          JSON.readTree(terraform.quiet(stack, List.of("output", "-json", "-no-color")));
      Map<String, String> values = new LinkedHashMap<>();
      outputs
          .properties()
          .forEach(o -> values.put(o.getKey(), o.getValue().path("value").asText()));
      for (String name :
          List.of(
              "bucket",
              "job_queue",
              "trainer_repository",
              "http_url",
              "schedule_function",
              "signing_key_secret")) {
        if (values.getOrDefault(name, "").isEmpty()) {
          throw new SmokeFailure("the stack has no output " + name + ": " + values.keySet());
        }
      }
      values.forEach((k, v) -> out.println("   " + k + " = " + v));
      return values;
    } catch (IOException e) {
      throw new SmokeFailure("terraform output -json gave no JSON: " + e.getMessage());
    }
  }

  /** docker login with an ECR token, tag, push: the job definition names this tag. */
  private void pushImage(Map<String, String> outputs) {
    String repository = outputs.get("trainer_repository");
    String registry = repository.substring(0, repository.indexOf('/'));
    String target = repository + ":" + config.training().trainerImageTag();
    Tool docker = new Tool(options.docker(), out);
    docker.run(
        null,
        aws.ecrPassword().getBytes(StandardCharsets.UTF_8),
        List.of("login", "--username", "AWS", "--password-stdin", registry));
    docker.run(null, null, List.of("tag", options.image(), target));
    docker.run(null, null, List.of("push", target));
  }

  private void storeSigningKey(Map<String, String> outputs, KeyPair signing) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(signing.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    aws.secrets()
        .putSecretValue(r -> r.secretId(outputs.get("signing_key_secret")).secretString(pem));
  }

  private void uploadTrainingData(Map<String, String> outputs) {
    if (!Files.isRegularFile(options.data())) {
      throw new SmokeFailure(
          "no training data at " + options.data() + " (the build writes it; or --data FILE)");
    }
    String key = BucketLayout.trainingData(MODEL);
    aws.s3().putObject(r -> r.bucket(outputs.get("bucket")).key(key), options.data());
    out.println("   s3://" + outputs.get("bucket") + "/" + key);
  }

  /** What the schedule function said it launched. */
  record TrainingStart(String version, String jobId, String candidatePrefix) {}

  /**
   * The event EventBridge sends for a rule named {@code retrain-iris}: that model alone, as a rule
   * of that name retrains it (the stack's own rule retrains every model).
   */
  private TrainingStart startTraining(Map<String, String> outputs) {
    String bucket = outputs.get("bucket");
    String account = bucket.substring(bucket.lastIndexOf('-') + 1);
    String region = config.aws().region();
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.events");
    event.put("account", account);
    event.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event
        .putArray("resources")
        .add("arn:aws:events:" + region + ":" + account + ":rule/retrain-" + MODEL);
    event.putObject("detail");
    InvokeResponse response =
        aws.lambda()
            .invoke(
                r ->
                    r.functionName(outputs.get("schedule_function"))
                        .logType(LogType.TAIL)
                        .payload(SdkBytes.fromUtf8String(event.toString())));
    cost.invocation(response.logResult());
    String answer = response.payload().asUtf8String();
    if (response.functionError() != null) {
      throw new SmokeFailure("the schedule function failed: " + answer);
    }
    try {
      for (JsonNode result : JSON.readTree(answer).path("results")) {
        if (MODEL.equals(result.path("model").asText())
            && "launched".equals(result.path("result").asText())) {
          TrainingStart start =
              new TrainingStart(
                  result.path("version").asText(),
                  result.path("jobId").asText(),
                  result.path("candidatePrefix").asText());
          out.println("   version " + start.version() + ", Batch job " + start.jobId());
          return start;
        }
      }
    } catch (IOException e) {
      throw new SmokeFailure("the schedule function answered no report: " + answer);
    }
    throw new SmokeFailure("the schedule function launched nothing for " + MODEL + ": " + answer);
  }

  private JobDetail awaitJob(TrainingStart launched) {
    Instant deadline = Instant.now().plus(options.timeout());
    String last = null;
    while (Instant.now().isBefore(deadline)) {
      List<JobDetail> jobs = aws.batch().describeJobs(r -> r.jobs(launched.jobId())).jobs();
      if (jobs.isEmpty()) {
        throw new SmokeFailure("Batch does not know job " + launched.jobId());
      }
      JobDetail job = jobs.get(0);
      String status = job.statusAsString();
      if (!status.equals(last)) {
        out.printf(
            Locale.ROOT,
            "   %s after %s%n",
            status,
            SmokeCost.minutes(Duration.between(start, Instant.now())));
        last = status;
      }
      if (status.equals("SUCCEEDED")) {
        return job;
      }
      if (status.equals("FAILED")) {
        cost.job(job);
        throw new SmokeFailure(
            "the training job failed: "
                + job.statusReason()
                + (job.container() == null
                    ? ""
                    : " (exit "
                        + job.container().exitCode()
                        + (job.container().reason() == null ? "" : ", " + job.container().reason())
                        + ")"));
      }
      pause();
    }
    throw new SmokeFailure(
        "the training job did not end within " + SmokeCost.minutes(options.timeout()));
  }

  /** The candidate's manifest reaches the upload function, whose gate promotes it. */
  private void awaitPromotion(Map<String, String> outputs, TrainingStart launched) {
    String bucket = outputs.get("bucket");
    String alias = BucketLayout.alias(MODEL, BucketLayout.PRODUCTION);
    String rejected = launched.candidatePrefix() + BucketLayout.REJECTED_FILE;
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      Optional<String> served = aws.text(bucket, alias);
      if (served.isPresent() && served.get().trim().equals(launched.version())) {
        cost.s3Triggered();
        out.println("   promoted: " + alias + " = " + launched.version());
        return;
      }
      Optional<String> refusal = aws.text(bucket, rejected);
      if (refusal.isPresent()) {
        throw new SmokeFailure("the gate rejected the candidate: " + refusal.get());
      }
      pause();
    }
    throw new SmokeFailure(
        "no promotion of " + launched.version() + " within 5 minutes (" + alias + ")");
  }

  /** Three rows of the training data, one per class, dropped into incoming/ and scored. */
  private void scoreUpload(Map<String, String> outputs) {
    String bucket = outputs.get("bucket");
    List<String> rows;
    try {
      rows = Files.readAllLines(options.data());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder csv = new StringBuilder("id,sepal_length,sepal_width,petal_length,petal_width\n");
    int id = 0;
    for (int row : List.of(1, 51, 101)) {
      if (row < rows.size()) {
        String line = rows.get(row);
        csv.append("smoke-")
            .append(++id)
            .append(',')
            .append(line, 0, line.lastIndexOf(','))
            .append('\n');
      }
    }
    String key = BucketLayout.incoming(MODEL) + "smoke.csv";
    aws.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(csv.toString()));
    String predictions = BucketLayout.predictions(MODEL, "smoke.csv", false);
    String failed = BucketLayout.failureRecord(key);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      Optional<String> scored = aws.text(bucket, predictions);
      if (scored.isPresent()) {
        List<String> lines = scored.get().lines().toList();
        lines.forEach(line -> out.println("   " + line));
        if (lines.size() != id) {
          throw new SmokeFailure(id + " rows went in, " + lines.size() + " predictions came out");
        }
        cost.s3Triggered();
        return;
      }
      Optional<String> reason = aws.text(bucket, failed);
      if (reason.isPresent()) {
        throw new SmokeFailure("the upload failed: " + reason.get());
      }
      pause();
    }
    throw new SmokeFailure("no " + predictions + " within 3 minutes");
  }

  /** The function URL (AWS_IAM): the model's metadata names the new version, and it infers. */
  private void askHttp(Map<String, String> outputs, TrainingStart launched) {
    String base = outputs.get("http_url");
    SignedHttp http = new SignedHttp(config.aws().region());
    SignedHttp.Answer metadata = http.send("GET", base, "v2/models/" + MODEL, null);
    cost.httpRequest();
    if (metadata.status() != 200 || !metadata.body().contains(launched.version())) {
      throw new SmokeFailure(
          "GET /v2/models/" + MODEL + " answered " + metadata.status() + ": " + metadata.body());
    }
    String infer =
        "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
            + "\"data\":[6.7,3.0,5.2,2.3]}]}";
    SignedHttp.Answer answer = http.send("POST", base, "v2/models/" + MODEL + "/infer", infer);
    cost.httpRequest();
    if (answer.status() != 200) {
      throw new SmokeFailure(
          "POST /v2/models/" + MODEL + "/infer answered " + answer.status() + ": " + answer.body());
    }
    out.println("   " + answer.body());
  }

  private void tearDown() {
    terraform.run(
        stack,
        null,
        List.of(
            "destroy",
            "-input=false",
            "-auto-approve",
            "-no-color",
            "-var",
            "lambda_package=" + options.lambdaPackage().toAbsolutePath()));
    cost.destroyed(Instant.now());
  }

  private static void pause() {
    try {
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmokeFailure("interrupted");
    }
  }
}
