package io.triad.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The JDK's HTTP server in front of {@link InferenceApi}: it only turns an exchange into an {@link
 * HttpCall} and the {@link HttpAnswer} back. Bodies are read up to the configured limit and no
 * further, so an oversized upload costs no more memory than the limit.
 */
public final class LocalHttpServer implements SmartLifecycle {
  /**
   * The JDK server's only switch for TCP_NODELAY; it reads it once, when its first server starts.
   */
  static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private static final Logger log = LoggerFactory.getLogger(LocalHttpServer.class);

  private final InferenceApi api;
  private final String host;
  private final int port;
  private final int threads;
  private HttpServer server;
  private ExecutorService executor;

  public LocalHttpServer(InferenceApi api, String host, int port, int threads) {
    this.api = api;
    this.host = host;
    this.port = port;
    this.threads = threads;
  }

  @Override
  public void start() {
    // The JDK server writes an answer's headers and body separately; with Nagle's algorithm on, the
    // body then waits for the client's delayed ACK, about 40 ms on every kept-alive request
    // (docs/benchmarks.md). Process-wide by nature, as the server offers no socket options; a value
    // the user set is kept.
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 128);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " (is another Triad running? set --triad.local.port)",
          e);
    }
    executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "triad-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.start();
    log.info("HTTP API on {}", url());
  }

  /** The base URL, with the port actually bound. */
  public String url() {
    return "http://" + host + ":" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      HttpAnswer answer = answer(exchange);
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(
          answer.status(), head || answer.body().length == 0 ? -1 : answer.body().length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      }
    }
  }

  private HttpAnswer answer(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(api.maxBodyBytes() + 1);
      if (body.length > api.maxBodyBytes()) {
        // read (and drop) what the client is still sending, up to a bound, so it hears the 413
        // instead of a reset connection
        drain(in, 16L * api.maxBodyBytes());
        return api.bodyTooLarge();
      }
    }
    // the raw path, as every runtime passes it: names and versions never need escaping
    return api.handle(
        new HttpCall(
            exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
  }

  /** Reads and drops the rest of a body, at most {@code cap} bytes. */
  private static void drain(InputStream in, long cap) throws IOException {
    byte[] sink = new byte[1 << 16];
    long read = 0;
    for (int n = 0; read < cap && n >= 0; n = in.read(sink)) {
      read += n;
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdown();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }
}
