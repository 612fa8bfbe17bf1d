package io.triad.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API (2018-06-01) on 127.0.0.1, enough for the real runtime interface client:
 * {@code GET invocation/next} hands out queued events, {@code POST invocation/{id}/response|error}
 * completes them, {@code POST init/error} fails everything. Test-only.
 */
public final class RuntimeApiServer implements AutoCloseable {
  private static final String BASE = "/2018-06-01/runtime/";

  /** What the function answered: its response body, or the error it reported. */
  public record Result(boolean ok, String body) {}

  private record Invocation(String id, byte[] event, CompletableFuture<Result> result) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
  private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
  private final CompletableFuture<String> initError = new CompletableFuture<>();

  public RuntimeApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext(BASE, this::route);
    server.start();
  }

  /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues an event; the future completes when the function answers it. */
  public CompletableFuture<Result> invoke(byte[] event) {
    Invocation invocation =
        new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
    queue.add(invocation);
    return invocation.result();
  }

  /** Completes with the body of {@code init/error} if the function fails to start. */
  public CompletableFuture<String> initError() {
    return initError;
  }

  private void route(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (path.equals("invocation/next")) {
        next(exchange);
      } else if (path.equals("init/error")) {
        initError.complete(body);
        inFlight.values().forEach(i -> i.result().complete(new Result(false, body)));
        reply(exchange, 202, "{}");
      } else if (path.startsWith("invocation/")
          && (path.endsWith("/response") || path.endsWith("/error"))) {
        String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
        Invocation invocation = inFlight.remove(id);
        if (invocation == null) {
          reply(exchange, 400, "{\"errorMessage\":\"unknown request id " + id + "\"}");
          return;
        }
        invocation.result().complete(new Result(path.endsWith("/response"), body));
        reply(exchange, 202, "{\"status\":\"OK\"}");
      } else {
        reply(exchange, 404, "{\"errorMessage\":\"no such runtime API path\"}");
      }
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    Invocation invocation;
    try {
      invocation = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // the server is closing
    }
    inFlight.put(invocation.id(), invocation);
    var headers = exchange.getResponseHeaders();
    // the RIC's native client crashes on a /next answer without a Content-Type
    headers.set("Content-Type", "application/json");
    headers.set("Lambda-Runtime-Aws-Request-Id", invocation.id());
    headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
    headers.set(
        "Lambda-Runtime-Invoked-Function-Arn",
        "arn:aws:lambda:us-east-1:123456789012:function:triad-test");
    headers.set(
        "Lambda-Runtime-Trace-Id", "Root=1-67f0a1b2-0123456789abcdef01234567;Parent=1;Sampled=0");
    exchange.sendResponseHeaders(200, invocation.event().length);
    exchange.getResponseBody().write(invocation.event());
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
