package io.triad.local.bench;

import io.triad.functions.http.InferenceApi;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.local.LocalHttpServer;
import io.triad.local.LocalProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The local runtime's HTTP front (Jetty 12) against the JDK server it replaced, over the same
 * {@link InferenceApi} serving iris: cold start (a fresh JVM to the first 200, median of 5 each,
 * alternating) and warm latency of {@code POST /v2/models/iris/infer} on kept-alive connections at
 * 1, 64 and 256 at once (p50, p99, requests/s; rounds alternate the two fronts). Prints a table;
 * asserts nothing ({@code ./mvnw -B -q -Pbench-http -pl adapters/local -am verify -DskipTests}).
 */
public final class HttpFrontBenchmark {
  private static final String BODY =
      "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
          + "\"data\":[5.1,3.5,1.4,0.2]}]}";
  private static final byte[] REQUEST =
      ("POST /v2/models/iris/infer HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + BODY.length()
              + "\r\n\r\n"
              + BODY)
          .getBytes(StandardCharsets.US_ASCII);
  private static final int[] CONNECTIONS = {1, 64, 256};
  private static final Duration WARM_UP = Duration.ofSeconds(2);
  private static final Duration MEASURE = Duration.ofSeconds(4);
  private static final int ROUNDS = 2;
  private static final int STARTS = 5;

  private HttpFrontBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.out.println("| front | cold start ms: median (5 runs) |");
    System.out.println("|---|---|");
    long[][] cold = coldStarts();
    System.out.printf(
        Locale.ROOT, "| Jetty 12.1 (now) | %d %s |%n", median(cold[0]), Arrays.toString(cold[0]));
    System.out.printf(
        Locale.ROOT,
        "| JDK HttpServer (before) | %d %s |%n",
        median(cold[1]),
        Arrays.toString(cold[1]));

    Path bucket = Files.createTempDirectory("triad-bench-http");
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=iris")) {
      InferenceApi api = app.getBean(InferenceApi.class);
      LocalHttpServer jetty =
          new LocalHttpServer(
              api,
              "127.0.0.1",
              0,
              new LocalProperties.Http(8, Duration.ofSeconds(30), 16384, 100, 8192, null));
      jetty.start();
      try (JdkHttpFront jdk = new JdkHttpFront(api, 8)) {
        System.out.println();
        System.out.println(
            "| connections | Jetty p50 µs | JDK p50 µs | Jetty p99 µs | JDK p99 µs | Jetty req/s | JDK req/s | p50 Jetty/JDK |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int connections : CONNECTIONS) {
          List<Long> jettyAll = new ArrayList<>();
          List<Long> jdkAll = new ArrayList<>();
          double jettyRate = 0;
          double jdkRate = 0;
          for (int round = 0; round < ROUNDS; round++) {
            jettyRate += load(jetty.port(), connections, jettyAll) / ROUNDS;
            jdkRate += load(jdk.port(), connections, jdkAll) / ROUNDS;
          }
          long[] a = sorted(jettyAll);
          long[] b = sorted(jdkAll);
          System.out.printf(
              Locale.ROOT,
              "| %d | %d | %d | %d | %d | %.0f | %.0f | %.2f |%n",
              connections,
              pct(a, 0.50),
              pct(b, 0.50),
              pct(a, 0.99),
              pct(b, 0.99),
              jettyRate,
              jdkRate,
              (double) pct(a, 0.50) / pct(b, 0.50));
        }
      } finally {
        jetty.stop();
      }
    }
  }

  /** Requests/s over the measured window; latencies (µs) are added to {@code into}. */
  private static double load(int port, int connections, List<Long> into) throws Exception {
    List<long[]> perThread = new ArrayList<>();
    int[] counts = new int[connections];
    CountDownLatch done = new CountDownLatch(connections);
    long start = System.nanoTime();
    long measureFrom = start + WARM_UP.toNanos();
    long end = measureFrom + MEASURE.toNanos();
    for (int c = 0; c < connections; c++) {
      long[] latencies = new long[2_000_000 / connections + 1000];
      perThread.add(latencies);
      int index = c;
      Thread thread =
          new Thread(
              () -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  InputStream in = socket.getInputStream();
                  while (true) {
                    long t0 = System.nanoTime();
                    if (t0 > end) {
                      break;
                    }
                    out.write(REQUEST);
                    out.flush();
                    readAnswer(in);
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && counts[index] < latencies.length) {
                      latencies[counts[index]++] = (t1 - t0) / 1000;
                    }
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                } finally {
                  done.countDown();
                }
              });
      thread.setDaemon(true);
      thread.start();
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the load did not finish");
    }
    long total = 0;
    for (int c = 0; c < connections; c++) {
      for (int i = 0; i < counts[c]; i++) {
        into.add(perThread.get(c)[i]);
      }
      total += counts[c];
    }
    return total / (MEASURE.toNanos() / 1e9);
  }

  private static void readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed");
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    if (!text.startsWith("HTTP/1.1 200")) {
      throw new IOException("not a 200: " + text.lines().findFirst().orElse(""));
    }
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
  }

  private static long[][] coldStarts() throws Exception {
    long[][] millis = new long[2][STARTS];
    for (int run = 0; run < STARTS; run++) {
      millis[0][run] = coldStart("jetty");
      millis[1][run] = coldStart("jdk");
    }
    return millis;
  }

  private static long coldStart(String front) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    long t0 = System.nanoTime();
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FrontStart.class.getName(),
                front,
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
          socket
              .getOutputStream()
              .write(
                  "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
          readAnswer(socket.getInputStream());
          return (System.nanoTime() - t0) / 1_000_000;
        } catch (IOException notYet) {
          Thread.sleep(5);
        }
      }
      throw new IllegalStateException(front + " did not start");
    } finally {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  private static long[] sorted(List<Long> values) {
    long[] array = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(array);
    return array;
  }

  private static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
  }

  private static long median(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }
}
