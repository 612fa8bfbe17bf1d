package io.triad.bench;

import io.triad.bench.PipelineBenchmark.Percentiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A child JVM that answers HTTP on 127.0.0.1 (the local runtime, the plain server): process launch
 * to the first 200 for {@code first} (sent every 5 ms until answered), then, per warm request,
 * {@value #WARM_UP} calls to warm up and {@code warmCalls} timed ones from one client over
 * loopback, then VmHWM.
 */
public record HttpStart(
    String name,
    IntFunction<List<String>> command,
    Path dir,
    Map<String, String> env,
    Post first,
    Map<String, Post> warmRequests,
    int warmCalls,
    Upload upload)
    implements ColdStart {
  /**
   * Untimed calls before the timed ones, for every front: the JIT needs thousands of calls to
   * settle.
   */
  static final int WARM_UP = 5_000;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A JSON POST to a path. */
  public record Post(String path, String json) {
    HttpRequest to(int port) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json))
          .build();
    }
  }

  /**
   * A CSV dropped into the runtime's directory bucket ({@code incoming/iris/}, moved in whole)
   * {@code times} times; each is timed until its prediction file is published. The watcher's settle
   * time is included.
   */
  public record Upload(Path bucket, byte[] csv, int rows, int times) {
    double rowsPerSecond(Process process, String name) throws Exception {
      double[] rates = new double[times];
      for (int i = 0; i < times; i++) {
        String stem = "upload-" + System.nanoTime();
        Path staged = Files.write(bucket.resolveSibling(stem + ".csv"), csv);
        Path output = bucket.resolve("predictions/iris/" + stem + ".csv.jsonl");
        long t0 = System.nanoTime();
        Files.move(
            staged,
            Files.createDirectories(bucket.resolve("incoming/iris")).resolve(stem + ".csv"),
            StandardCopyOption.ATOMIC_MOVE);
        while (!Files.exists(output)) {
          if (!process.isAlive() || System.nanoTime() - t0 > Duration.ofSeconds(120).toNanos()) {
            throw new IllegalStateException(name + " published no " + output);
          }
          Thread.sleep(5);
        }
        rates[i] = rows / ((System.nanoTime() - t0) / 1e9);
        // gone before the next start, whose watcher would otherwise see them
        Files.delete(bucket.resolve("incoming/iris/" + stem + ".csv"));
        Files.delete(output);
      }
      Arrays.sort(rates);
      return rates[times / 2];
    }
  }

  @Override
  public Sample start() throws Exception {
    int port = freePort();
    Path log = dir.resolve(name.replaceAll("\\W+", "-") + ".log");
    long t0 = System.nanoTime();
    Process process = ChildJvm.builder(command.apply(port), dir, env, log).start();
    try {
      long firstMs = firstAnswer(process, first.to(port), t0, log);
      Map<String, Percentiles> warm = new LinkedHashMap<>();
      for (Map.Entry<String, Post> request : warmRequests.entrySet()) {
        warm.put(request.getKey(), warm(request.getValue().to(port)));
      }
      Sample sample = Sample.of(firstMs, warm, ChildJvm.peakRssKib(process.pid()));
      return upload == null ? sample : sample.withUpload(upload.rowsPerSecond(process, name));
    } finally {
      ChildJvm.stop(
          process, 120); // a JVM that writes a CDS archive or an AOT cache does it on the way out
    }
  }

  private long firstAnswer(Process process, HttpRequest request, long t0, Path log)
      throws Exception {
    long deadline = t0 + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return (System.nanoTime() - t0) / 1_000_000;
        }
        if (response.statusCode() != 503) { // 503: listening, model not loaded yet
          throw new IllegalStateException(
              name + " answered " + response.statusCode() + ": " + response.body());
        }
      } catch (IOException notListening) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              name + " exited with " + process.exitValue() + ":\n" + ChildJvm.tail(log));
        }
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(name + " did not answer within 120 s:\n" + ChildJvm.tail(log));
  }

  private Percentiles warm(HttpRequest request) throws Exception {
    for (int i = 0; i < WARM_UP; i++) {
      send(request);
    }
    long[] nanos = new long[warmCalls];
    for (int i = 0; i < warmCalls; i++) {
      long t = System.nanoTime();
      send(request);
      nanos[i] = System.nanoTime() - t;
    }
    return Percentiles.of(nanos);
  }

  private void send(HttpRequest request) throws Exception {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          name + " answered " + response.statusCode() + " when warm: " + response.body());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
