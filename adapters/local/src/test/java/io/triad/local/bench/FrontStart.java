package io.triad.local.bench;

import io.triad.functions.api.TriadJson;
import io.triad.functions.http.ApiSettings;
import io.triad.functions.http.InferenceApi;
import io.triad.local.LocalHttpServer;
import io.triad.local.LocalProperties;
import java.time.Duration;
import java.util.List;

/**
 * One front's cold start, in a JVM of its own: starts {@code jetty} or {@code jdk} over an API that
 * answers health only, on the port given, and runs until killed. The parent measures from process
 * start to the first 200.
 */
public final class FrontStart {
  private FrontStart() {}

  public static void main(String[] args) throws Exception {
    InferenceApi api =
        new InferenceApi(
            call -> null,
            call -> null,
            null,
            null,
            TriadJson.mapper(),
            new ApiSettings(0, List.of(), "bench", 0, false),
            new io.triad.functions.metrics.TriadMetrics(java.util.Set.of()),
            null,
            io.triad.functions.telemetry.Telemetry.OFF,
            null,
            null);
    int port = Integer.parseInt(args[1]);
    if (args[0].equals("jetty")) {
      new LocalHttpServer(
              api,
              "127.0.0.1",
              port,
              new LocalProperties.Http(8, Duration.ofSeconds(30), 16384, 100, 8192, null))
          .start();
    } else {
      JdkHttpFront front = new JdkHttpFront(api, 8, port);
      Runtime.getRuntime().addShutdownHook(new Thread(front::close));
      Thread.currentThread().join();
    }
  }
}
