package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.gcp.bench.InvokerProbe;
import io.triad.gcp.testing.HttpFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy jar ({@code target/deploy/triad-gcp.jar}) under the stock invoker, started the way
 * Cloud Functions starts it ({@code java -jar java-function-invoker.jar --classpath JAR --target
 * CLASS}), with its own class loader that shows the function only the framework API. The invoker
 * binds every interface, so it runs with its client in a private network namespace ({@link
 * InvokerProbe}). The store is a directory ({@code TRIAD_STORE=file:...}) since the in-memory GCS
 * cannot cross a process.
 */
class PackagedFunctionIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path bucket;

  @BeforeAll
  static void namespaces() throws Exception {
    Process check =
        new ProcessBuilder("unshare", "-rn", "sh", "-c", "ip link set lo up")
            .redirectErrorStream(true)
            .start();
    assumeThat(check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0)
        .as(
            "user and network namespaces (unshare -rn) and ip(8) are needed to run the stock invoker, which listens on 0.0.0.0")
        .isTrue();
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    new TestModels(store).publishIris("1");
    store.put(
        "incoming/iris/binary.csv", TestModels.incomingCsv(9, 8).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void httpEntry_should_answerTheFixtures_when_runFromTheDeployJarByTheStockInvoker()
      throws Exception {
    // when
    JsonNode report =
        probe(
            "io.triad.gcp.HttpEntry",
            List.of(
                "http/predict-records", "http/live", "http/unknown-model", "http/malformed-json"));

    // then
    for (JsonNode answer : report.path("answers")) {
      HttpFixture fixture = HttpFixture.load(answer.path("fixture").asText());
      assertThat(answer.path("status").asInt())
          .as("%s: %s", fixture.name(), report.path("log").asText())
          .isEqualTo(fixture.expected().status());
      fixture.expected().assertBody(fixture.name(), answer.path("body").asText());
    }
  }

  @Test
  void storageEntry_should_writePredictions_when_runFromTheDeployJarByTheStockInvoker()
      throws Exception {
    // when
    JsonNode report = probe("io.triad.gcp.UploadEntry", List.of("storage/finalized-binary"));

    // then
    assertThat(report.path("answers").get(0).path("status").asInt())
        .as(report.path("log").asText())
        .isEqualTo(200);
    assertThat(Files.readAllLines(bucket.resolve("predictions/iris/binary.csv.jsonl"))).hasSize(9);
  }

  @Test
  void httpEntry_should_startWithoutSpringApplication_when_givenTheStacksOptions()
      throws Exception {
    // given the JVM options the stack gives every function, with the JVM's class loading logged
    Path loaded = bucket.getParent().resolve("gcp-class-load.log");
    String options =
        io.triad.settings.GcpContract.JVM_OPTIONS + " -Xlog:class+load=info:file=" + loaded;

    // when the deploy jar answers a request under the stock invoker
    JsonNode report = probe("io.triad.gcp.HttpEntry", List.of("http/predict-records"), options);

    // then its context was started by TriadContext: Spring Boot's application start, and the
    // parsing of configuration classes it brings, never loaded
    assertThat(report.path("answers").get(0).path("status").asInt())
        .as(report.path("log").asText())
        .isEqualTo(200);
    assertThat(Files.readString(loaded))
        .contains("io.triad.functions.TriadContext source:")
        .doesNotContain("org.springframework.boot.SpringApplication source:")
        .doesNotContain("org.springframework.context.annotation.ConfigurationClassPostProcessor ");
  }

  private static JsonNode probe(String target, List<String> fixtures)
      throws IOException, InterruptedException {
    // the JVM options the stack gives every function
    return probe(target, fixtures, io.triad.settings.GcpContract.JVM_OPTIONS);
  }

  private static JsonNode probe(String target, List<String> fixtures, String jvmOptions)
      throws IOException, InterruptedException {
    String invokerJar =
        Path.of(
                HttpFunctionExecutor.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath())
            .toString();
    String deployJar = System.getProperty("triad.gcp.deploy-jar");
    List<String> command =
        InvokerProbe.command(
            System.getProperty("java.class.path"),
            invokerJar,
            deployJar,
            target,
            0,
            fixtures,
            Map.of(
                GcpRuntime.STORE,
                bucket.toUri().toString(),
                io.triad.settings.GcpContract.MODELS,
                "iris",
                io.triad.settings.GcpContract.SIGNING_TRUSTED_KEYS,
                TestModels.TRUSTED_KEY,
                io.triad.settings.GcpContract.JAVA_TOOL_OPTIONS,
                jvmOptions));
    Process probe =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    probe.getOutputStream().close();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(probe.waitFor(180, TimeUnit.SECONDS)).as("the probe finished").isTrue();
    assertThat(probe.exitValue()).as("probe exit; output: %s", out).isZero();
    return JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
  }
}
