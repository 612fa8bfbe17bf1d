package io.triad.gcp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.gcp.GcpRuntime;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The GCP adapter's figures for {@code docs/benchmarks.md}: the deploy jar's {@code HttpEntry} and
 * a hand-written {@link PlainIrisFunction} over the same model (and the Triad one again with C1
 * only), each started {@value #STARTS} times, alternately, by the stock invoker ({@link
 * InvokerProbe}, in a private network namespace): process start to the first 200 from {@code POST
 * /v1/models/iris:predict}, warm latency over {@value #WARM_CALLS} calls (client-measured, loopback
 * HTTP included), peak RSS of the invoker.
 *
 * <p>Arguments: the deploy jar.
 */
public final class InvokerBenchmark {
  private static final int STARTS = 3;
  private static final int WARM_CALLS = 5000;
  private static final String FIXTURE = "http/predict-records";

  private InvokerBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path deployJar = Path.of(args[0]);
    Path bucket = Files.createTempDirectory("triad-gcp-bench");
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    String invokerJar =
        Path.of(
                HttpFunctionExecutor.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .toString();
    String plainClasses =
        Path.of(PlainIrisFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();

    List<JsonNode> triad = new ArrayList<>();
    List<JsonNode> triadC1 = new ArrayList<>();
    List<JsonNode> plain = new ArrayList<>();
    Map<String, String> triadEnv =
        Map.of(
            GcpRuntime.STORE,
            bucket.toUri().toString(),
            io.triad.settings.GcpContract.MODELS,
            "iris",
            io.triad.settings.GcpContract.SIGNING_TRUSTED_KEYS,
            TestModels.TRUSTED_KEY);
    Map<String, String> c1Env = new java.util.HashMap<>(triadEnv);
    // the JVM reads JAVA_TOOL_OPTIONS, which a function can set without a custom image
    c1Env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
    for (int i = 0; i < STARTS; i++) {
      triad.add(run(invokerJar, deployJar.toString(), "io.triad.gcp.HttpEntry", triadEnv));
      plain.add(
          run(
              invokerJar,
              deployJar + File.pathSeparator + plainClasses,
              PlainIrisFunction.class.getName(),
              Map.of("PLAIN_MODEL", bucket.resolve("models/iris/1/model.onnx").toString())));
      triadC1.add(run(invokerJar, deployJar.toString(), "io.triad.gcp.HttpEntry", c1Env));
    }
    System.out.println();
    System.out.println(
        "| stock invoker, "
            + STARTS
            + " starts each, alternating | start → first 200 (median; runs) ms | warm p50 µs | warm p99 µs | peak RSS MiB |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.println(row("plain `HttpFunction` (ONNX Runtime + Jackson, no Spring)", plain));
    System.out.println(row("Triad `io.triad.gcp.HttpEntry` (deploy jar)", triad));
    System.out.println(row("Triad, `JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1`", triadC1));
    System.out.printf(
        Locale.ROOT,
        "%ndeploy jar: %.1f MiB (%d bytes)%n",
        Files.size(deployJar) / 1048576.0,
        Files.size(deployJar));
  }

  private static JsonNode run(
      String invokerJar, String classPath, String target, Map<String, String> env)
      throws Exception {
    List<String> command =
        InvokerProbe.command(
            System.getProperty("java.class.path"),
            invokerJar,
            classPath,
            target,
            WARM_CALLS,
            List.of(FIXTURE),
            env);
    Process probe =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!probe.waitFor(300, TimeUnit.SECONDS) || probe.exitValue() != 0) {
      throw new IllegalStateException(target + " probe failed: " + out);
    }
    JsonNode report = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    System.out.println(
        target
            + ": "
            + report.path("firstAnswerMs")
            + " ms to first 200, p50 "
            + report.path("p50Us")
            + " µs, p99 "
            + report.path("p99Us")
            + " µs, peak RSS "
            + report.path("peakRssKb")
            + " KiB");
    return report;
  }

  private static String row(String name, List<JsonNode> runs) {
    List<Long> starts = runs.stream().map(r -> r.path("firstAnswerMs").asLong()).toList();
    return String.format(
        Locale.ROOT,
        "| %s | %d (%s) | %d | %d | %.0f |",
        name,
        median(starts),
        String.join(", ", starts.stream().map(String::valueOf).toList()),
        median(runs.stream().map(r -> r.path("p50Us").asLong()).toList()),
        median(runs.stream().map(r -> r.path("p99Us").asLong()).toList()),
        median(runs.stream().map(r -> r.path("peakRssKb").asLong()).toList()) / 1024.0);
  }

  private static long median(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }
}
