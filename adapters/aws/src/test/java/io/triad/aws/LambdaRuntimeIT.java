package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.triad.aws.testing.LambdaProcess;
import io.triad.aws.testing.RuntimeApiServer;
import io.triad.aws.testing.S3Emulator;
import io.triad.functions.api.TriadJson;
import io.triad.functions.testing.TestModels;
import io.triad.s3.S3BlobStore;
import io.triad.settings.AwsContract;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged zip, unpacked as a task root, run by the real Lambda runtime interface client in a
 * child JVM against a Runtime API on 127.0.0.1; S3 is s3rver, whose events are forwarded to the S3
 * function as notifications.
 */
class LambdaRuntimeIT {
  private static final String BUCKET = "triad-lambda-it";
  private static final ObjectMapper json = TriadJson.mapper();

  private static Path work;
  private static Path taskRoot;
  private static S3Emulator s3rver;
  private static HttpServer webhook;
  private static final Map<String, CompletableFuture<RuntimeApiServer.Result>> byKey =
      new ConcurrentHashMap<>();
  private static RuntimeApiServer s3Runtime;

  @BeforeAll
  static void unpackPackageAndStartS3() throws Exception {
    work =
        Files.createDirectories(
            Path.of(System.getProperty("triad.work", "target/it"))
                .toAbsolutePath()
                .resolve("lambda-runtime-it"));
    taskRoot =
        LambdaProcess.unpack(
            Path.of(System.getProperty("triad.lambda.package", "target/triad-aws-lambda.zip")),
            work.resolve("task"));
    s3Runtime = new RuntimeApiServer();
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/s3-events",
        exchange -> {
          try (exchange) {
            byte[] event = exchange.getRequestBody().readAllBytes();
            String key =
                URLDecoder.decode(
                    json.readTree(event).at("/Records/0/s3/object/key").asText(),
                    StandardCharsets.UTF_8);
            byKey.put(key, s3Runtime.invoke(event));
            exchange.sendResponseHeaders(204, -1);
          }
        });
    webhook.start();
    s3rver =
        S3Emulator.start(
            work.resolve("s3rver"),
            BUCKET,
            URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/s3-events"));
    new TestModels(new S3BlobStore(AwsClients.s3(s3Settings()), BUCKET)).publishIris("1");
  }

  @AfterAll
  static void stopAll() throws IOException {
    s3rver.close();
    webhook.stop(0);
    s3Runtime.close();
  }

  @Test
  void httpFunction_should_answerLikeInProcess_when_runByTheRuntimeClient() throws Exception {
    try (RuntimeApiServer runtime = new RuntimeApiServer();
        LambdaProcess function =
            start("io.triad.aws.HttpEntry::handleRequest", runtime, Map.of(), "http")) {
      // given
      byte[] event = resource("/events/aws/apigw-v2/infer.json");

      // when
      RuntimeApiServer.Result result = await(runtime, runtime.invoke(event), function);

      // then
      assertThat(result.ok()).as("function output:%n%s", function.output()).isTrue();
      assertThat(json.readTree(result.body()))
          .isEqualTo(json.readTree(resource("/events/aws/apigw-v2/infer.expected.json")));
      // no natives on the classpath: ONNX Runtime could only have loaded them in place from
      // native/linux-x64
      assertThat(taskRoot.resolve("ai/onnxruntime/native")).doesNotExist();
      assertThat(taskRoot.resolve("native/linux-x64/libonnxruntime.so")).isRegularFile();
    }
  }

  @Test
  void s3Function_should_writePredictions_when_s3rverNotifiesAnUpload() throws Exception {
    try (LambdaProcess function =
        start(
            "io.triad.aws.LambdaEntry::handleRequest",
            s3Runtime,
            Map.of(AwsSettings.FUNCTION, "s3"),
            "s3")) {
      // given
      S3BlobStore store = new S3BlobStore(AwsClients.s3(s3Settings()), BUCKET);

      // when
      store.put(
          "incoming/iris/field notes.csv",
          TestModels.incomingCsv(12, 9).getBytes(StandardCharsets.UTF_8));

      // then
      CompletableFuture<RuntimeApiServer.Result> forwarded =
          waitForEvent("incoming/iris/field notes.csv");
      RuntimeApiServer.Result result = await(s3Runtime, forwarded, function);
      assertThat(result.ok()).as("function output:%n%s", function.output()).isTrue();
      JsonNode outcome = json.readTree(result.body()).at("/outcomes/0");
      assertThat(outcome.path("outcome").asText()).isEqualTo("written");
      assertThat(outcome.path("outputs"))
          .containsExactly(
              json.getNodeFactory().textNode("predictions/iris/field notes.csv.jsonl"));
      assertThat(
              new String(
                      store.read("predictions/iris/field notes.csv.jsonl"), StandardCharsets.UTF_8)
                  .lines())
          .hasSize(12);
    }
  }

  @Test
  void httpFunction_should_startWithoutSpringApplication_when_launchedAsTheManagedRuntimeDoes()
      throws Exception {
    // given the JVM options the stack gives every function (JAVA_TOOL_OPTIONS), class loading
    // logged
    List<String> options = new java.util.ArrayList<>(List.of(AwsContract.JVM_OPTIONS.split(" ")));
    options.add("-Xlog:class+load=info");

    // when a function of the package answers an event with them
    String output =
        answerOnceAsManagedRuntime(
            options, resource("/events/aws/apigw-v2/infer.json"), "plain-context");

    // then its context was started by TriadContext: Spring Boot's application start, and the
    // parsing of configuration classes it brings, never loaded; the packaged logging settings
    // (the line's pattern, io.triad at INFO, the rest at WARN) still apply
    assertThat(output)
        .contains("io.triad.functions.TriadContext source:")
        .contains("\nINFO  LambdaEntry - start phases (ms): {")
        .doesNotContain("DEBUG")
        .doesNotContain("org.springframework.boot.SpringApplication source:")
        .doesNotContain("org.springframework.context.annotation.ConfigurationClassPostProcessor ");
  }

  @Test
  void httpFunction_should_loadThePackageFromAnAppCdsArchive_when_launchedAsTheManagedRuntimeDoes()
      throws Exception {
    // given an archive written by a start that answered one event (the JVM writes it on its way
    // out)
    Path archive = work.resolve("http.jsa");
    Files.deleteIfExists(archive);
    byte[] event = resource("/events/aws/apigw-v2/infer.json");
    answerOnceAsManagedRuntime(
        List.of("-XX:ArchiveClassesAtExit=" + archive), event, "cds-training");

    // when the function starts on it
    String output =
        answerOnceAsManagedRuntime(
            List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"), event, "cds");

    // then the package's classes, which the runtime client loads with its own class loader from the
    // task
    // root (ONNX Runtime's classes) and lib/ (the adapter), were mapped from the archive
    assertThat(archive).isNotEmptyFile();
    assertThat(output)
        .contains("io.triad.aws.HttpEntry source: shared objects file (top)")
        .contains("ai.onnxruntime.OrtSession source: shared objects file (top)");
  }

  /**
   * One event through a function started as the managed runtime starts it; returns its output once
   * its JVM has exited.
   */
  private static String answerOnceAsManagedRuntime(
      List<String> jvmOptions, byte[] event, String name) throws Exception {
    try (RuntimeApiServer runtime = new RuntimeApiServer();
        LambdaProcess function =
            LambdaProcess.startAsManagedRuntime(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                "io.triad.aws.HttpEntry::handleRequest",
                runtime.address(),
                taskRoot,
                jvmOptions,
                environment(Map.of()),
                work.resolve(name + ".log"))) {
      RuntimeApiServer.Result result = await(runtime, runtime.invoke(event), function);
      assertThat(result.ok()).as("function output:%n%s", function.output()).isTrue();
      ProcessHandle jvm = ProcessHandle.of(function.pid()).orElseThrow();
      jvm.destroy();
      jvm.onExit().get(2, TimeUnit.MINUTES);
      return function.output();
    }
  }

  private static Map<String, String> environment(Map<String, String> env) {
    Map<String, String> all =
        new java.util.HashMap<>(
            Map.of(
                AwsSettings.BUCKET,
                BUCKET,
                AwsSettings.S3_ENDPOINT,
                s3rver.endpoint().toString(),
                "AWS_ACCESS_KEY_ID",
                "S3RVER",
                "AWS_SECRET_ACCESS_KEY",
                "S3RVER",
                AwsContract.SIGNING_TRUSTED_KEYS,
                TestModels.TRUSTED_KEY));
    all.putAll(env);
    return all;
  }

  private static LambdaProcess start(
      String handler, RuntimeApiServer runtime, Map<String, String> env, String name)
      throws IOException {
    Map<String, String> all = environment(env);
    String classpath =
        LambdaProcess.packageClasspath(taskRoot)
            + File.pathSeparator
            + LambdaProcess.runtimeClasspath();
    return LambdaProcess.start(
        classpath,
        handler,
        runtime.address(),
        taskRoot,
        List.of(
            "-Xmx384m", "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp-" + name))),
        all,
        work.resolve(name + ".log"));
  }

  private static RuntimeApiServer.Result await(
      RuntimeApiServer runtime,
      CompletableFuture<RuntimeApiServer.Result> result,
      LambdaProcess function)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (result.isDone()) {
        return result.get();
      }
      if (runtime.initError().isDone()) {
        throw new AssertionError(
            "init failed: " + runtime.initError().get() + "\n" + function.output());
      }
      if (!function.isAlive()) {
        throw new AssertionError("the function's JVM exited:\n" + function.output());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no answer within 60 s:\n" + function.output());
  }

  private static CompletableFuture<RuntimeApiServer.Result> waitForEvent(String key)
      throws InterruptedException {
    for (int i = 0; i < 200 && !byKey.containsKey(key); i++) {
      Thread.sleep(50);
    }
    assertThat(byKey).as("an S3 event forwarded for %s", key).containsKey(key);
    return byKey.get(key);
  }

  private static AwsSettings s3Settings() {
    return AwsSettings.from(Map.of(AwsSettings.S3_ENDPOINT, s3rver.endpoint().toString())::get);
  }

  private static byte[] resource(String name) throws IOException {
    return LambdaRuntimeIT.class.getResourceAsStream(name).readAllBytes();
  }
}
