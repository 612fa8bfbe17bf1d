package io.triad.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triad.aws.AwsClients;
import io.triad.aws.AwsSettings;
import io.triad.aws.testing.S3Emulator;
import io.triad.aws.testing.SecretsManagerDouble;
import io.triad.aws.testing.SigV4;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One AWS account for the smoke run, doubled on 127.0.0.1 (no AWS here): S3 (s3rver), Lambda
 * ({@link LambdaDouble}: the real runtime client over the real package), Batch ({@link
 * FakeAwsBatch}: the trainer image's own process), Secrets Manager and ECR's token call, each
 * behind the {@code AWS_ENDPOINT_URL_*} variable the SDKs read, and stand-ins for the two commands
 * the smoke drives. {@code terraform} applies the synthesized {@code cdk.tf.json} it is run beside:
 * the bucket, the functions with their handlers, memory, timeouts and environments, the function
 * URL, the bucket's notification rules, the job queue and definition (its image and environment),
 * the secret and the repository, each read from the stack with its references resolved, and refuses
 * what Terraform and AWS refuse (an undeclared variable, a missing package, a package over Lambda's
 * direct-upload or unzipped limits or an S3 object that is not there, a destroy of a bucket that
 * holds objects or a repository that holds images unless the stack forces it). {@code docker} logs
 * in with the ECR token, tags and pushes into an immutable repository; Batch pulls only what was
 * pushed. IAM is not enforced here: the permission checks judge the calls recorded.
 */
final class AwsCloudDouble implements AutoCloseable {
  static final String ACCOUNT = "123456789012";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final String ACCESS_KEY = "S3RVER";

  /** The image the smoke pushes, built (here: read) from models/Dockerfile. */
  static final String LOCAL_IMAGE = "triad-trainer:gpu";

  private final String region;
  private final HttpServer tools;
  private final HttpServer ecr;
  private final S3Emulator s3;
  private final S3Client s3Client;
  private final SecretsManagerDouble secrets;
  private final FakeAwsBatch batch;
  private final LambdaDouble lambda;
  private final String ecrPassword = UUID.randomUUID().toString();
  private final Set<String> initialized = ConcurrentHashMap.newKeySet();
  private final Set<String> loggedIn = ConcurrentHashMap.newKeySet();
  private final Map<String, String> tags = new ConcurrentHashMap<>();
  private final Set<String> pushed = ConcurrentHashMap.newKeySet();
  private volatile Deployment deployment;
  private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** What an apply made, for output and destroy. */
  private record Deployment(
      Path directory,
      String bucket,
      boolean forceDestroy,
      Map<String, Boolean> repositories,
      Map<String, String> outputs,
      List<String> objects,
      int resources) {}

  AwsCloudDouble(Path work, TrainerImage image, String region) throws IOException {
    this.region = region;
    Map<String, String> keys = Map.of(ACCESS_KEY, ACCESS_KEY);
    this.lambda = new LambdaDouble(region, keys, work.resolve("lambda"));
    this.s3 = S3Emulator.start(work.resolve("s3"), "-", lambda.notificationEndpoint());
    this.s3Client =
        AwsClients.s3(
            AwsSettings.from(
                Map.of(
                        AwsSettings.S3_ENDPOINT,
                        s3.endpoint().toString(),
                        AwsSettings.BUCKET,
                        "-",
                        AwsSettings.REGION,
                        region)
                    ::get));
    this.secrets = SecretsManagerDouble.start(keys);
    this.batch =
        new FakeAwsBatch(
            image,
            region,
            pushed::contains,
            Map.of(
                "AWS_ACCESS_KEY_ID",
                ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                ACCESS_KEY,
                AwsSettings.S3_ENDPOINT,
                s3.endpoint().toString()));
    this.tools = server(this::tool);
    this.ecr = server(this::ecrToken);
  }

  private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", handler);
    server.start();
    return server;
  }

  /** What the smoke's process is given: the endpoints, the credentials, the tools' double. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_BATCH", batch.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:" + ecr.getAddress().getPort());
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", ACCESS_KEY);
    env.put("AWS_REGION", region);
    env.put("TRIAD_TOOL_DOUBLE", "http://127.0.0.1:" + tools.getAddress().getPort() + "/");
    return env;
  }

  FakeAwsBatch batch() {
    return batch;
  }

  LambdaDouble lambda() {
    return lambda;
  }

  boolean deployed() {
    return deployment != null;
  }

  /** Each tool call, as {@code tool arguments -> exit}, in order. */
  List<String> toolCalls() {
    return List.copyOf(log);
  }

  private void tool(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode call = JSON.readTree(exchange.getRequestBody());
      List<String> args = new ArrayList<>();
      call.path("args").forEach(a -> args.add(a.asText()));
      Path cwd = Path.of(call.path("cwd").asText());
      StringBuilder out = new StringBuilder();
      int exit;
      try {
        exit =
            switch (call.path("tool").asText()) {
              case "terraform" -> terraform(cwd, args, out);
              case "docker" -> docker(args, call.path("stdin").asText(), out);
              default -> fail(out, "no such tool");
            };
      } catch (Exception | AssertionError e) {
        exit = fail(out, "the double failed: " + e);
      }
      log.add(call.path("tool").asText() + " " + String.join(" ", args) + " -> " + exit);
      byte[] body = JSON.writeValueAsBytes(Map.of("exit", exit, "output", out.toString()));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /**
   * A direct upload's zip may not pass Lambda's request limit: 50 MB, as Lambda documents it; the
   * service refuses the request by its base64 size (this is its message).
   */
  private static final long DIRECT_UPLOAD_LIMIT = 50L * 1024 * 1024;

  /** Unzipped, a package may not pass 250 MB (Lambda's documented limit, in its message). */
  private static final long UNZIPPED_LIMIT = 262_144_000L;

  /**
   * The function's package as Lambda takes it: a file handed over directly (under the request
   * limit), or an object in S3 that must exist when the function is made; unzipped, within Lambda's
   * limit.
   *
   * @throws IllegalArgumentException Lambda's refusal
   */
  private Path code(JsonNode function, Resolver resolver, Path cwd) throws IOException {
    Path zip;
    if (function.hasNonNull("filename")) {
      zip = Path.of(resolver.resolve(function.path("filename").asText()));
      if (!Files.isRegularFile(zip)) {
        throw new IllegalArgumentException("reading the Lambda package " + zip + ": no such file");
      }
      if (Files.size(zip) > DIRECT_UPLOAD_LIMIT) {
        throw new IllegalArgumentException(
            "RequestEntityTooLargeException: Request must be smaller than 70167211 bytes for the"
                + " CreateFunction operation");
      }
    } else {
      String bucket = resolver.resolve(function.path("s3_bucket").asText());
      String key = resolver.resolve(function.path("s3_key").asText());
      zip = Files.createTempFile(cwd, "lambda-code", ".zip");
      try {
        Files.write(zip, s3Client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
      } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
        throw new IllegalArgumentException(
            "InvalidParameterValueException: Error occurred while GetObject. S3 Error Code:"
                + " NoSuchKey. S3 Error Message: The specified key does not exist.");
      }
    }
    long unzipped = 0;
    try (java.util.zip.ZipFile entries = new java.util.zip.ZipFile(zip.toFile())) {
      for (var entry : java.util.Collections.list(entries.entries())) {
        unzipped += entry.getSize();
      }
    }
    if (unzipped > UNZIPPED_LIMIT) {
      throw new IllegalArgumentException(
          "InvalidParameterValueException: Unzipped size must be smaller than 262144000 bytes");
    }
    return zip;
  }

  private static int fail(StringBuilder out, String message) {
    out.append("Error: ").append(message).append('\n');
    return 1;
  }

  private int terraform(Path cwd, List<String> args, StringBuilder out) throws Exception {
    Path file = cwd.resolve("cdk.tf.json");
    if (args.isEmpty() || !Files.isRegularFile(file)) {
      return fail(out, "No configuration files in " + cwd);
    }
    JsonNode stack = JSON.readTree(file.toFile());
    String command = args.get(0);
    if (command.equals("init")) {
      if (!stack.at("/terraform/required_providers/aws/source").asText().endsWith("aws")) {
        return fail(out, "the stack requires no aws provider");
      }
      initialized.add(cwd.toString());
      out.append("Terraform has been successfully initialized!\n");
      return 0;
    }
    if (!initialized.contains(cwd.toString())) {
      return fail(out, "Backend initialization required, please run \"terraform init\"");
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 1; i < args.size(); i++) {
      if (args.get(i).equals("-var") && i + 1 < args.size()) {
        String pair = args.get(++i);
        String name = pair.substring(0, pair.indexOf('='));
        if (!stack.path("variable").has(name)) {
          return fail(out, "Value for undeclared variable \"" + name + "\"");
        }
        vars.put(name, pair.substring(pair.indexOf('=') + 1));
      }
    }
    return switch (command) {
      case "apply" -> apply(cwd, stack, vars, out);
      case "output" -> output(out);
      case "destroy" -> destroy(out);
      default -> fail(out, "the double does not do terraform " + command);
    };
  }

  private int apply(Path cwd, JsonNode stack, Map<String, String> vars, StringBuilder out)
      throws IOException {
    if (deployment != null) {
      return fail(out, "the double applies one stack once");
    }
    String stackRegion = stack.at("/provider/aws/0/region").asText();
    if (!stackRegion.equals(region)) {
      return fail(out, "this account's double is in " + region + ", the stack in " + stackRegion);
    }
    Resolver resolver = new Resolver(stack, vars);
    JsonNode resources = stack.path("resource");
    int count = 0;
    for (JsonNode type : (Iterable<JsonNode>) resources::elements) {
      count += type.size();
    }

    JsonNode bucket = single(resources, "aws_s3_bucket");
    String bucketName = resolver.resolve(bucket.path("bucket").asText());
    s3Client.createBucket(r -> r.bucket(bucketName));

    for (var secret : resources.path("aws_secretsmanager_secret").properties()) {
      String name = resolver.resolve(secret.getValue().path("name").asText());
      resolver.computed(
          "aws_secretsmanager_secret." + secret.getKey() + ".arn",
          secrets.create(name, Set.of(ACCESS_KEY)));
    }
    Map<String, Boolean> repositories = new LinkedHashMap<>();
    for (var repository : resources.path("aws_ecr_repository").properties()) {
      String name = resolver.resolve(repository.getValue().path("name").asText());
      repositories.put(name, repository.getValue().path("force_delete").asBoolean());
      resolver.computed(
          "aws_ecr_repository." + repository.getKey() + ".repository_url", registry() + "/" + name);
    }

    JsonNode definition = single(resources, "aws_batch_job_definition");
    JsonNode container =
        JSON.readTree(resolver.resolve(definition.path("container_properties").asText()));
    Map<String, String> jobEnvironment = new LinkedHashMap<>();
    container
        .path("environment")
        .forEach(e -> jobEnvironment.put(e.path("name").asText(), e.path("value").asText()));
    batch.create(
        resolver.resolve(single(resources, "aws_batch_job_queue").path("name").asText()),
        resolver.resolve(definition.path("name").asText()),
        container.path("image").asText(),
        jobEnvironment);

    // objects the stack uploads (the Lambda package), before the functions that take them
    List<String> uploaded = new ArrayList<>();
    for (JsonNode object : (Iterable<JsonNode>) resources.path("aws_s3_object")::elements) {
      Path source = Path.of(resolver.resolve(object.path("source").asText()));
      if (!Files.isRegularFile(source)) {
        return fail(out, "reading " + source + ": no such file");
      }
      String objectBucket = resolver.resolve(object.path("bucket").asText());
      if (!objectBucket.equals(bucketName)) {
        return fail(out, "an object for another bucket, " + objectBucket);
      }
      String key = resolver.resolve(object.path("key").asText());
      s3Client.putObject(r -> r.bucket(objectBucket).key(key), source);
      uploaded.add(key);
    }
    Path lambdaPackage = null;
    for (var function : resources.path("aws_lambda_function").properties()) {
      JsonNode f = function.getValue();
      Path zip;
      try {
        zip = code(f, resolver, cwd);
      } catch (IllegalArgumentException e) {
        return fail(out, "creating Lambda function " + function.getKey() + ": " + e.getMessage());
      }
      if (lambdaPackage == null) {
        lambda.unpack(zip);
        lambdaPackage = zip;
      } else if (Files.mismatch(lambdaPackage, zip) != -1) {
        return fail(out, "the double serves one package; the stack names another too");
      }
      Map<String, String> env = new LinkedHashMap<>();
      f.at("/environment/variables")
          .properties()
          .forEach(v -> env.put(v.getKey(), resolver.resolve(v.getValue().asText())));
      // what the execution environment gives a function: the role's credentials (here the
      // doubles' key) and, because these are doubles, where they listen
      env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", ACCESS_KEY);
      env.put(AwsSettings.S3_ENDPOINT, s3.endpoint().toString());
      env.put(AwsSettings.BATCH_ENDPOINT, batch.endpoint().toString());
      env.put(AwsSettings.SECRETS_ENDPOINT, secrets.endpoint().toString());
      lambda.deploy(
          new LambdaDouble.Function(
              resolver.resolve(f.path("function_name").asText()),
              f.path("handler").asText(),
              f.path("memory_size").asInt(128),
              f.path("timeout").asInt(3),
              env));
    }
    for (var url : resources.path("aws_lambda_function_url").properties()) {
      if (!url.getValue().path("authorization_type").asText().equals("AWS_IAM")) {
        return fail(out, "the double serves AWS_IAM function URLs only");
      }
      resolver.computed(
          "aws_lambda_function_url." + url.getKey() + ".function_url",
          lambda.url(resolver.resolve(url.getValue().path("function_name").asText())));
    }
    List<LambdaDouble.Route> routes = new ArrayList<>();
    for (JsonNode notification :
        (Iterable<JsonNode>) resources.path("aws_s3_bucket_notification")::elements) {
      if (!resolver.resolve(notification.path("bucket").asText()).equals(bucketName)) {
        return fail(out, "a notification for another bucket");
      }
      for (JsonNode rule : notification.path("lambda_function")) {
        String arn = resolver.resolve(rule.path("lambda_function_arn").asText());
        List<String> events = new ArrayList<>();
        rule.path("events").forEach(e -> events.add(e.asText()));
        routes.add(
            new LambdaDouble.Route(
                arn.substring(arn.lastIndexOf(':') + 1),
                events,
                rule.hasNonNull("filter_prefix") ? rule.path("filter_prefix").asText() : null,
                rule.hasNonNull("filter_suffix") ? rule.path("filter_suffix").asText() : null));
      }
    }
    lambda.route(routes);

    Map<String, String> outputs = new LinkedHashMap<>();
    for (var output : stack.path("output").properties()) {
      outputs.put(output.getKey(), resolver.resolve(output.getValue().path("value").asText()));
    }
    deployment =
        new Deployment(
            cwd,
            bucketName,
            bucket.path("force_destroy").asBoolean(),
            repositories,
            outputs,
            List.copyOf(uploaded),
            count);
    Files.writeString(cwd.resolve("terraform.tfstate"), JSON.writeValueAsString(outputs));
    out.append("Apply complete! Resources: ")
        .append(count)
        .append(" added, 0 changed, 0 destroyed.\n");
    return 0;
  }

  private static JsonNode single(JsonNode resources, String type) {
    JsonNode all = resources.path(type);
    if (all.size() != 1) {
      throw new AssertionError("the stack has " + all.size() + " " + type + ", the double one");
    }
    return all.elements().next();
  }

  private int output(StringBuilder out) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    if (deployment != null) {
      deployment
          .outputs()
          .forEach(
              (name, value) ->
                  json.putObject(name)
                      .put("sensitive", false)
                      .put("type", "string")
                      .put("value", value));
    }
    out.append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json)).append('\n');
    return 0;
  }

  private int destroy(StringBuilder out) {
    Deployment deployed = deployment;
    if (deployed == null) {
      out.append("No changes. No objects need to be destroyed.\n");
      return 0;
    }
    // the stack's own objects go first, as Terraform destroys what depends on the bucket first
    deployed
        .objects()
        .forEach(key -> s3Client.deleteObject(r -> r.bucket(deployed.bucket()).key(key)));
    List<String> keys =
        s3Client.listObjectsV2Paginator(r -> r.bucket(deployed.bucket())).contents().stream()
            .map(S3Object::key)
            .toList();
    if (!keys.isEmpty() && !deployed.forceDestroy()) {
      return fail(
          out,
          "deleting S3 Bucket ("
              + deployed.bucket()
              + "): BucketNotEmpty: The bucket you tried to delete is not empty");
    }
    for (var repository : deployed.repositories().entrySet()) {
      String prefix = registry() + "/" + repository.getKey() + ":";
      boolean images = pushed.stream().anyMatch(p -> p.startsWith(prefix));
      if (images && !repository.getValue()) {
        return fail(
            out,
            "ECR Repository ("
                + repository.getKey()
                + ") not empty, consider using force_delete: RepositoryNotEmptyException");
      }
      pushed.removeIf(p -> p.startsWith(prefix));
    }
    lambda.deleteAll();
    batch.delete();
    keys.forEach(key -> s3Client.deleteObject(r -> r.bucket(deployed.bucket()).key(key)));
    s3Client.deleteBucket(r -> r.bucket(deployed.bucket()));
    deployment = null;
    out.append("Destroy complete! Resources: ")
        .append(deployed.resources())
        .append(" destroyed.\n");
    return 0;
  }

  private String registry() {
    return ACCOUNT + ".dkr.ecr." + region + ".amazonaws.com";
  }

  private int docker(List<String> args, String stdin, StringBuilder out) {
    if (args.isEmpty()) {
      return fail(out, "docker needs a command");
    }
    switch (args.get(0)) {
      case "login" -> {
        String host = args.get(args.size() - 1);
        if (!args.contains("--password-stdin")
            || !args.contains("AWS")
            || !stdin.trim().equals(ecrPassword)
            || !host.equals(registry())) {
          return fail(
              out,
              "Error response from daemon: login attempt to https://"
                  + host
                  + "/v2/ failed with status: 400 Bad Request");
        }
        loggedIn.add(host);
        out.append("Login Succeeded\n");
        return 0;
      }
      case "tag" -> {
        if (args.size() != 3 || !args.get(1).equals(LOCAL_IMAGE)) {
          return fail(out, "Error response from daemon: No such image: " + args.get(1));
        }
        tags.put(args.get(2), args.get(1));
        return 0;
      }
      case "push" -> {
        String target = args.get(1);
        String host = target.substring(0, target.indexOf('/'));
        String repository = target.substring(host.length() + 1, target.lastIndexOf(':'));
        Deployment deployed = deployment;
        if (!tags.containsKey(target)) {
          return fail(out, "An image does not exist locally with the tag: " + target);
        }
        if (!loggedIn.contains(host)) {
          return fail(out, "no basic auth credentials");
        }
        if (deployed == null || !deployed.repositories().containsKey(repository)) {
          return fail(
              out,
              "name unknown: The repository with name '"
                  + repository
                  + "' does not exist in the registry with id '"
                  + ACCOUNT
                  + "'");
        }
        if (!pushed.add(target)) {
          return fail(
              out,
              "tag invalid: The image tag '"
                  + target.substring(target.lastIndexOf(':') + 1)
                  + "' already exists in the '"
                  + repository
                  + "' repository and cannot be overwritten because the repository is immutable.");
        }
        out.append(target.substring(target.lastIndexOf(':') + 1))
            .append(": digest: sha256:")
            .append(UUID.randomUUID().toString().replace("-", ""))
            .append(" size: 4321\n");
        return 0;
      }
      default -> {
        return fail(out, "the double does not do docker " + args.get(0));
      }
    }
  }

  /** ECR's GetAuthorizationToken (JSON 1.1, SigV4 for ecr); every other operation is refused. */
  private void ecrToken(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = SigV4.headers(exchange.getRequestHeaders());
      int status;
      Map<String, Object> answer;
      if (!SigV4.verifies(
          Map.of(ACCESS_KEY, ACCESS_KEY), "ecr", region, "POST", "/", headers, body)) {
        status = 400;
        answer = Map.of("__type", "UnrecognizedClientException", "message", "invalid signature");
      } else if (!"AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken"
          .equals(headers.get("x-amz-target"))) {
        status = 400;
        answer = Map.of("__type", "UnknownOperationException", "message", "");
      } else {
        status = 200;
        answer =
            Map.of(
                "authorizationData",
                List.of(
                    Map.of(
                        "authorizationToken",
                        Base64.getEncoder()
                            .encodeToString(
                                ("AWS:" + ecrPassword).getBytes(StandardCharsets.UTF_8)),
                        "expiresAt",
                        System.currentTimeMillis() / 1000.0 + 43_200,
                        "proxyEndpoint",
                        "https://" + registry())));
      }
      byte[] bytes = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  /**
   * Terraform's references as far as the smoke's resources use them: {@code var.X}, the account id,
   * a resource's own literal arguments, and what the double computed (ARNs, URLs). Anything else (a
   * function call) is refused, so a field the double reads never goes unresolved.
   */
  private final class Resolver {
    private final JsonNode stack;
    private final Map<String, String> vars;
    private final Map<String, String> computed = new HashMap<>();

    Resolver(JsonNode stack, Map<String, String> vars) {
      this.stack = stack;
      this.vars = vars;
    }

    void computed(String reference, String value) {
      computed.put(reference, value);
    }

    String resolve(String text) {
      Matcher m = REFERENCE.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1).trim())));
      }
      m.appendTail(out);
      return out.toString();
    }

    private String value(String expression) {
      if (computed.containsKey(expression)) {
        return computed.get(expression);
      }
      String[] parts = expression.split("\\.");
      if (parts.length == 2 && parts[0].equals("var")) {
        String given = vars.get(parts[1]);
        JsonNode declared = stack.at("/variable/" + parts[1]);
        if (given != null) {
          return given;
        }
        if (declared.has("default")) {
          return declared.path("default").asText();
        }
        throw new AssertionError("No value for required variable " + parts[1]);
      }
      if (expression.equals("data.aws_caller_identity.account.account_id")) {
        return ACCOUNT;
      }
      if (parts.length == 3 && expression.matches("[a-z0-9_]+\\.[A-Za-z0-9_-]+\\.[a-z_]+")) {
        JsonNode resource = stack.path("resource").path(parts[0]).path(parts[1]);
        if (resource.isMissingNode()) {
          throw new AssertionError("Reference to undeclared resource " + expression);
        }
        String attribute = parts[2];
        if (attribute.equals("id") && parts[0].equals("aws_s3_bucket")) {
          attribute = "bucket";
        }
        if (resource.path(attribute).isTextual()) {
          return resolve(resource.path(attribute).asText());
        }
        if (attribute.equals("arn")) {
          String name =
              resource.path("name").isTextual()
                  ? resolve(resource.path("name").asText())
                  : resource.path("function_name").isTextual()
                      ? resolve(resource.path("function_name").asText())
                      : parts[1];
          String service = parts[0].split("_")[1];
          return "arn:aws:"
              + service
              + ":"
              + region
              + ":"
              + ACCOUNT
              + (parts[0].equals("aws_lambda_function") ? ":function:" : ":")
              + name;
        }
        if (attribute.equals("version")) {
          return "1";
        }
      }
      throw new AssertionError("the double cannot evaluate ${" + expression + "}");
    }
  }

  /** Ends everything: functions, trainers, emulators, servers. */
  @Override
  public void close() throws IOException {
    try {
      lambda.close();
      batch.close();
      secrets.close();
      s3Client.close();
      tools.stop(0);
      ecr.stop(0);
    } finally {
      s3.close();
    }
  }
}
