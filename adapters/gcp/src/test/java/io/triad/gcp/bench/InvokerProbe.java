package io.triad.gcp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.gcp.testing.HttpFixture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the stock Functions Framework invoker ({@code java -jar java-function-invoker.jar}) over a
 * function class path, as Cloud Functions does, and talks to it. The invoker listens on every
 * interface, so this must run in a network namespace of its own ({@link #command} builds the {@code
 * unshare -rn} line): it and its client see only their private loopback.
 *
 * <p>It measures process start to the first answered request (the first fixture, sent until a 200
 * comes back), then warm latency over that fixture, peak RSS from {@code /proc}, and sends every
 * fixture once; it prints one JSON object and stops the invoker.
 *
 * <p>Arguments: {@code invokerJar functionClassPath target warmCalls fixture[,fixture...]
 * [KEY=VALUE...]}.
 */
public final class InvokerProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WARM_UP = "triad.probe.warm-up";

  private InvokerProbe() {}

  /** The command that runs this probe in a fresh user + network namespace with its loopback up. */
  public static List<String> command(
      String classPath,
      String invokerJar,
      String functionClassPath,
      String target,
      int warmCalls,
      List<String> fixtures,
      Map<String, String> env) {
    return command(
        classPath, invokerJar, functionClassPath, target, warmCalls / 5, warmCalls, fixtures, env);
  }

  /** The same with {@code warmUp} untimed calls before the {@code warmCalls} timed ones. */
  public static List<String> command(
      String classPath,
      String invokerJar,
      String functionClassPath,
      String target,
      int warmUp,
      int warmCalls,
      List<String> fixtures,
      Map<String, String> env) {
    StringBuilder java =
        new StringBuilder("ip link set lo up && exec '")
            .append(Path.of(System.getProperty("java.home"), "bin", "java"))
            .append("' -D")
            .append(WARM_UP)
            .append('=')
            .append(warmUp)
            .append(" -cp '")
            .append(classPath)
            .append("' ")
            .append(InvokerProbe.class.getName())
            .append(" '")
            .append(invokerJar)
            .append("' '")
            .append(functionClassPath)
            .append("' ")
            .append(target)
            .append(' ')
            .append(warmCalls)
            .append(' ')
            .append(String.join(",", fixtures));
    env.forEach((k, v) -> java.append(" '").append(k).append('=').append(v).append('\''));
    return List.of("unshare", "-rn", "sh", "-c", java.toString());
  }

  public static void main(String[] args) throws Exception {
    String invokerJar = args[0];
    String functionClassPath = args[1];
    String target = args[2];
    int warmCalls = Integer.parseInt(args[3]);
    List<String> fixtures = Arrays.asList(args[4].split(","));
    Map<String, String> env = new TreeMap<>();
    for (int i = 5; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      env.put(kv[0], kv[1]);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("invoker-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                invokerJar,
                "--classpath",
                functionClassPath,
                "--target",
                target,
                "--port",
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    // ONNX Runtime 1.29's telemetry crashes the JVM on long command lines
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    ObjectNode report = JSON.createObjectNode();
    long start = System.nanoTime();
    Process invoker = builder.start();
    try {
      probe(invoker, "http://127.0.0.1:" + port, start, warmCalls, fixtures, report);
    } finally {
      invoker.destroy();
      if (!invoker.waitFor(10, TimeUnit.SECONDS)) {
        invoker.destroyForcibly();
      }
      List<String> lines = Files.readAllLines(log);
      report.put(
          "log", String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
      Files.delete(log);
      System.out.println(JSON.writeValueAsString(report));
    }
  }

  private static void probe(
      Process invoker,
      String base,
      long start,
      int warmCalls,
      List<String> fixtures,
      ObjectNode report)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpFixture first = HttpFixture.load(fixtures.get(0));
    long deadline = start + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      if (!invoker.isAlive()) {
        throw new IllegalStateException(
            "the invoker exited with " + invoker.exitValue() + " before answering");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no 200 from the invoker within 120 s");
      }
      try {
        if (first.send(client, base).statusCode() == 200) {
          break;
        }
      } catch (java.io.UncheckedIOException e) {
        if (!(e.getCause() instanceof ConnectException
            || e.getCause() instanceof HttpConnectTimeoutException)) {
          throw e;
        }
      }
      Thread.sleep(5);
    }
    report.put("firstAnswerMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    if (warmCalls > 0) {
      for (int i = 0, warmUp = Integer.getInteger(WARM_UP, warmCalls / 5); i < warmUp; i++) {
        first.send(client, base);
      }
      long[] micros = new long[warmCalls];
      for (int i = 0; i < warmCalls; i++) {
        long t = System.nanoTime();
        first.send(client, base);
        micros[i] = (System.nanoTime() - t) / 1000;
      }
      Arrays.sort(micros);
      report.put("p50Us", micros[micros.length / 2]);
      report.put("p99Us", micros[(int) Math.ceil(micros.length * 0.99) - 1]);
    }
    report.put("peakRssKb", peakRssKb(invoker.pid()));
    ArrayNode answers = report.putArray("answers");
    for (String name : fixtures) {
      HttpResponse<String> response = HttpFixture.load(name).send(client, base);
      answers
          .addObject()
          .put("fixture", name)
          .put("status", response.statusCode())
          .put("body", response.body());
    }
  }

  /** VmHWM: the most resident memory the process has had. */
  private static long peakRssKb(long pid) throws IOException {
    List<String> status =
        new ArrayList<>(Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")));
    return status.stream()
        .filter(l -> l.startsWith("VmHWM:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1);
  }
}
