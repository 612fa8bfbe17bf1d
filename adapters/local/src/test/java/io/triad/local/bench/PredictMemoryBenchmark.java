package io.triad.local.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Memory of the packaged runtime while eight maximum-size MNIST {@code :predict} bodies (just under
 * the 6 MB limit, thousands of pictures each) are scored at once: resident set before, at its peak,
 * and 5 s after, with the default micro-batches of 1,024 and, as the baseline in the same run, with
 * micro-batches too large to split a body (how it ran before). MNIST is trained once by the first
 * start. Prints a table; asserts nothing.
 *
 * <p>{@code java -cp <test classpath> io.triad.local.bench.PredictMemoryBenchmark
 * adapters/local/target/triad-local.jar}
 */
public final class PredictMemoryBenchmark {
  private static final int CONCURRENT = 8;
  private static final int MAX_BODY = 6 * 1024 * 1024 - 4096;

  private PredictMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path home = Files.createTempDirectory("triad-bench-memory");
    Path bucket = home.resolve("bucket");
    System.out.println(
        "| micro-batch rows | pictures per body | RSS before MiB | peak RSS MiB | RSS 5 s after MiB | 8 bodies ms |");
    System.out.println("|---|---|---|---|---|---|");
    for (int rows : new int[] {1024, 1_000_000}) {
      int port = freePort();
      Process runtime = start(jar, bucket, port, rows);
      try {
        HttpClient http = HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + port;
        awaitReady(http, url + "/v2/models/mnist/ready", runtime);
        String body = body(home.resolve("examples/mnist"));
        int pictures = body.split("\"b64\"").length - 1;
        for (int warm = 0; warm < 2; warm++) {
          send(http, url, body);
        }
        long before = rss(runtime.pid());
        long[] peak = {before};
        Thread sampler =
            new Thread(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    peak[0] = Math.max(peak[0], rss(runtime.pid()));
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
        sampler.start();
        long t0 = System.nanoTime();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
          calls.add(CompletableFuture.runAsync(() -> send(http, url, body)));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        Thread.sleep(5000);
        long after = rss(runtime.pid());
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %d | %d | %d | %d |%n",
            rows == 1024 ? "1,024 (default)" : "1,000,000 (one batch per body: before)",
            pictures,
            before >> 10,
            peak[0] >> 10,
            after >> 10,
            millis);
      } finally {
        runtime.destroy();
        runtime.waitFor(30, TimeUnit.SECONDS);
        runtime.destroyForcibly();
      }
    }
  }

  private static Process start(Path jar, Path bucket, int port, int rows) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--triad.local.bucket=" + bucket,
                "--triad.local.port=" + port,
                "--triad.local.bootstrap=mnist",
                "--triad.micro-batch-rows=" + rows)
            .redirectErrorStream(true)
            .redirectOutput(bucket.resolveSibling("runtime-" + rows + ".log").toFile());
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    return builder.start();
  }

  /** Pictures from the seeded examples, repeated until the body is as large as the API takes. */
  private static String body(Path examples) throws IOException {
    List<String> pictures = new ArrayList<>();
    try (Stream<Path> files = Files.list(examples)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".png"))::iterator) {
        pictures.add(Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
      }
    }
    StringBuilder body = new StringBuilder("{\"instances\":[");
    for (int i = 0; ; i++) {
      String next = (i == 0 ? "" : ",") + "{\"b64\":\"" + pictures.get(i % pictures.size()) + "\"}";
      if (body.length() + next.length() + 2 > MAX_BODY) {
        break;
      }
      body.append(next);
    }
    return body.append("]}").toString();
  }

  private static void send(HttpClient http, String url, String body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/models/mnist:predict"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitReady(HttpClient http, String url, Process runtime) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!runtime.isAlive()) {
        throw new IllegalStateException("the runtime exited: " + runtime.exitValue());
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("mnist was not served in time");
  }

  /** Resident set in KiB, from /proc. */
  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
