package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.aws.AwsClients;
import io.triad.aws.AwsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The smoke's doubled account refuses what AWS and the tools refuse, or the smoke would prove
 * nothing: a destroy of the stack as the README deploys it (not disposable) stops at a bucket that
 * holds an object; a push needs a login with the registry's token; Terraform refuses an undeclared
 * variable and an apply before init.
 */
class AwsCloudDoubleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void destroy_should_stopAtTheData_when_theStackIsNotDisposable(@TempDir Path work)
      throws Exception {
    Path stack = Files.createDirectories(work.resolve("stack"));
    // the example stack the build synthesizes: infra/triad.yaml, eu-west-1, not disposable
    Files.copy(Path.of(System.getProperty("triad.stack.aws")), stack.resolve("cdk.tf.json"));
    try (AwsCloudDouble cloud =
        new AwsCloudDouble(
            work.resolve("cloud"), new TrainerImage(work.resolve("image")), "eu-west-1")) {
      Map<String, String> env = cloud.environment();
      String zip =
          Path.of(System.getProperty("triad.root"), "adapters/aws/target/triad-aws-lambda.zip")
              .toString();

      assertThat(call(env, "terraform", stack, "", "apply", "-auto-approve").output())
          .contains("Backend initialization required");
      assertThat(call(env, "terraform", stack, "", "init").exit()).isZero();
      assertThat(call(env, "terraform", stack, "", "apply", "-var", "package=x").output())
          .contains("Value for undeclared variable \"package\"");
      assertThat(call(env, "terraform", stack, "", "apply", "-var", "lambda_package=" + zip).exit())
          .isZero();
      JsonNode outputs =
          JSON.readTree(call(env, "terraform", stack, "", "output", "-json").output());
      String bucket = outputs.at("/bucket/value").asText();
      String repository = outputs.at("/trainer_repository/value").asText();

      String target = repository + ":0.1.0";
      assertThat(call(env, "docker", stack, "", "tag", AwsCloudDouble.LOCAL_IMAGE, target).exit())
          .isZero();
      assertThat(call(env, "docker", stack, "", "push", target).output())
          .contains("no basic auth credentials");
      assertThat(
              call(
                      env,
                      "docker",
                      stack,
                      "wrong",
                      "login",
                      "--username",
                      "AWS",
                      "--password-stdin",
                      repository.substring(0, repository.indexOf('/')))
                  .output())
          .contains("400 Bad Request");

      try (S3Client s3 = s3(env)) {
        s3.putObject(r -> r.bucket(bucket).key("data/iris/train.csv"), RequestBody.fromString("x"));
        assertThat(call(env, "terraform", stack, "", "destroy", "-auto-approve").output())
            .contains("BucketNotEmpty");
        s3.deleteObject(r -> r.bucket(bucket).key("data/iris/train.csv"));
      }
      assertThat(cloud.deployed()).isTrue();
      assertThat(call(env, "terraform", stack, "", "destroy", "-auto-approve").output())
          .contains("Destroy complete!");
      assertThat(cloud.deployed()).isFalse();
    }
  }

  @Test
  void apply_should_refuseThePackageAsLambdaWould_when_handedOverDirectly(@TempDir Path work)
      throws Exception {
    // the stack as it was before the package went through the bucket: Lambda's own file upload
    Path stack = Files.createDirectories(work.resolve("stack"));
    com.fasterxml.jackson.databind.node.ObjectNode built =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            JSON.readTree(Path.of(System.getProperty("triad.stack.aws")).toFile());
    built
        .path("resource")
        .path("aws_lambda_function")
        .forEach(
            f -> {
              com.fasterxml.jackson.databind.node.ObjectNode function =
                  (com.fasterxml.jackson.databind.node.ObjectNode) f;
              function.remove(List.of("s3_bucket", "s3_key"));
              function.put("filename", "${var.lambda_package}");
            });
    Files.writeString(stack.resolve("cdk.tf.json"), JSON.writeValueAsString(built));
    Path zip =
        Path.of(System.getProperty("triad.root"), "adapters/aws/target/triad-aws-lambda.zip");
    try (AwsCloudDouble cloud =
        new AwsCloudDouble(
            work.resolve("cloud"), new TrainerImage(work.resolve("image")), "eu-west-1")) {
      Map<String, String> env = cloud.environment();
      assertThat(call(env, "terraform", stack, "", "init").exit()).isZero();

      Answer apply = call(env, "terraform", stack, "", "apply", "-var", "lambda_package=" + zip);

      // the package carries three clouds' storage clients: over the 50 MB a request may carry
      assertThat(Files.size(zip)).isGreaterThan(50L * 1024 * 1024);
      assertThat(apply.exit()).isNotZero();
      assertThat(apply.output()).contains("RequestEntityTooLargeException");
      assertThat(cloud.deployed()).isFalse();
    }
  }

  /** The stand-in's protocol, as tool-double.mjs speaks it. */
  private record Answer(int exit, String output) {}

  private static Answer call(
      Map<String, String> env, String tool, Path cwd, String stdin, String... args)
      throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of("tool", tool, "args", List.of(args), "cwd", cwd.toString(), "stdin", stdin));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(env.get("TRIAD_TOOL_DOUBLE")))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode answer = JSON.readTree(response.body());
    return new Answer(answer.path("exit").asInt(), answer.path("output").asText());
  }

  /** The tests' own S3 client (its calls are no function's, and the permission checks say so). */
  private static S3Client s3(Map<String, String> env) {
    return AwsClients.s3(
        AwsSettings.from(
            Map.of(
                    AwsSettings.S3_ENDPOINT, env.get("AWS_ENDPOINT_URL_S3"),
                    AwsSettings.REGION, env.get("AWS_REGION"))
                ::get));
  }
}
