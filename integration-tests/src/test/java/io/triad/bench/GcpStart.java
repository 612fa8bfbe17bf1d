package io.triad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.gcp.bench.InvokerProbe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A function under the stock Functions Framework invoker, through the GCP adapter's own {@link
 * InvokerProbe} (in a private network namespace, since the invoker listens on every interface):
 * invoker launch to the first 200 for {@code fixture}, warm latency over loopback HTTP, the
 * invoker's VmHWM.
 */
public record GcpStart(
    String name,
    String invokerJar,
    String functionClassPath,
    String target,
    Map<String, String> env,
    String fixture,
    int warmCalls)
    implements ColdStart {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Sample start() throws Exception {
    List<String> command =
        InvokerProbe.command(
            System.getProperty("java.class.path"),
            invokerJar,
            functionClassPath,
            target,
            warmCalls > 0 ? HttpStart.WARM_UP : 0,
            warmCalls,
            List.of(fixture),
            env);
    Process probe =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!probe.waitFor(300, TimeUnit.SECONDS) || probe.exitValue() != 0) {
      throw new IllegalStateException(name + ": the invoker probe failed: " + out);
    }
    JsonNode report = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    Map<String, PipelineBenchmark.Percentiles> warm =
        warmCalls > 0
            ? Map.of(
                "iris",
                Sample.micros(report.path("p50Us").asDouble(), report.path("p99Us").asDouble()))
            : Map.of();
    return Sample.of(
        report.path("firstAnswerMs").asLong(), warm, report.path("peakRssKb").asLong());
  }
}
