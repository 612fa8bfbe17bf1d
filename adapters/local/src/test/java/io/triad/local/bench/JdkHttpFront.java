package io.triad.local.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The benchmark's baseline: the JDK-server front the local runtime had before Jetty (the same
 * exchange-to-{@link HttpCall} mapping, fixed threads, TCP_NODELAY on), kept here only to be
 * measured against.
 */
final class JdkHttpFront implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final InferenceApi api;

  JdkHttpFront(InferenceApi api, int threads) throws IOException {
    this(api, threads, 0);
  }

  JdkHttpFront(InferenceApi api, int threads, int port) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.api = api;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    executor = Executors.newFixedThreadPool(threads);
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(api.maxBodyBytes() + 1);
      }
      HttpAnswer answer =
          body.length > api.maxBodyBytes()
              ? api.bodyTooLarge()
              : api.handle(
                  new HttpCall(
                      exchange.getRequestMethod(),
                      exchange.getRequestURI().getRawPath(),
                      headers,
                      body));
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(
          answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
