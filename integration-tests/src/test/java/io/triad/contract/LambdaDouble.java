package io.triad.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triad.aws.testing.LambdaProcess;
import io.triad.aws.testing.RuntimeApiServer;
import io.triad.aws.testing.SigV4;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the Lambda service for the smoke run (Lambda cannot run here): the functions a
 * deploy makes run as Lambda's java21 runtime runs them, the deployment package unpacked as the
 * task root and started by the real Runtime Interface Client against a Runtime API (one execution
 * environment per function, started on its first invocation, as a cold start). In front of them, on
 * 127.0.0.1: the {@code Invoke} API the SDK calls (SigV4 checked; RequestResponse or Event; the log
 * tail's REPORT line), a function URL with {@code AWS_IAM} auth (the signature recomputed, 403
 * otherwise), and the S3 notification route: an object-created event reaches a function only
 * through a rule of the bucket's notification configuration (events, prefix, suffix), as S3 sends
 * it. Concurrency, versions and aliases are not modelled: a URL serves the function it names.
 */
final class LambdaDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INVOCATIONS = "/2015-03-31/functions/";

  /** Lambda's payload quotas: a synchronous invocation (and a function URL request), 6 MB. */
  static final int SYNC_PAYLOAD = 6 * 1024 * 1024;

  /** An asynchronous invocation's payload, 1 MB. */
  static final int ASYNC_PAYLOAD = 1024 * 1024;

  /** A function as a deploy makes it. */
  record Function(
      String name, String handler, int memoryMb, int timeoutSeconds, Map<String, String> env) {}

  /** One rule of the bucket's notification configuration. */
  record Route(String function, List<String> events, String prefix, String suffix) {
    boolean matches(String eventName, String key) {
      boolean event =
          events.stream()
              .anyMatch(
                  e ->
                      e.equals("s3:" + eventName)
                          || (e.endsWith(":*")
                              && ("s3:" + eventName).startsWith(e.substring(0, e.length() - 1))));
      return event
          && (prefix == null || key.startsWith(prefix))
          && (suffix == null || key.endsWith(suffix));
    }
  }

  private final String region;
  private final Map<String, String> credentials;
  private final Path work;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpServer api;
  private final HttpServer notifications;
  private final Map<String, Function> functions = new ConcurrentHashMap<>();
  private final Map<String, Environment> environments = new ConcurrentHashMap<>();
  private final Map<String, HttpServer> urls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
  private volatile List<Route> routes = List.of();
  private volatile Path taskRoot;

  /** One function's execution environment: its Runtime API and the RIC process. */
  private record Environment(RuntimeApiServer runtime, LambdaProcess process) {}

  /**
   * @param credentials access key id to secret key, for the signatures checked
   */
  LambdaDouble(String region, Map<String, String> credentials, Path work) throws IOException {
    this.region = region;
    this.credentials = Map.copyOf(credentials);
    this.work = work;
    api = server();
    api.createContext("/", this::invoke);
    api.start();
    notifications = server();
    notifications.createContext("/", this::notification);
    notifications.start();
  }

  private HttpServer server() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    return server;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + api.getAddress().getPort());
  }

  /** Where S3 (the emulator) posts its object events. */
  URI notificationEndpoint() {
    return URI.create("http://127.0.0.1:" + notifications.getAddress().getPort() + "/");
  }

  /** The deployment package every function is made from, unpacked once as the task root. */
  void unpack(Path lambdaPackage) throws IOException {
    taskRoot = LambdaProcess.unpack(lambdaPackage, work.resolve("task"));
  }

  void deploy(Function function) {
    functions.put(function.name(), function);
    invocations.put(function.name(), new AtomicInteger());
  }

  /** The function's URL (made on first asking), as {@code function_url} reads: ends in a slash. */
  synchronized String url(String function) throws IOException {
    HttpServer server = urls.get(function);
    if (server == null) {
      server = server();
      server.createContext("/", exchange -> functionUrl(function, exchange));
      server.start();
      urls.put(function, server);
    }
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  void route(List<Route> rules) {
    routes = List.copyOf(rules);
  }

  int invocations(String function) {
    AtomicInteger count = invocations.get(function);
    return count == null ? 0 : count.get();
  }

  /** Every function, URL and route gone, as a destroy leaves them. */
  synchronized void deleteAll() {
    routes = List.of();
    urls.values().forEach(server -> server.stop(0));
    urls.clear();
    environments.values().forEach(LambdaDouble::stop);
    environments.clear();
    functions.clear();
  }

  private static void stop(Environment environment) {
    environment.process().close();
    environment.runtime().close();
  }

  private synchronized Environment environment(Function function) throws IOException {
    Environment running = environments.get(function.name());
    if (running != null && running.process().isAlive()) {
      return running;
    }
    if (running != null) {
      stop(running);
    }
    RuntimeApiServer runtime = new RuntimeApiServer();
    Map<String, String> env = new LinkedHashMap<>(function.env());
    env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
    env.put("AWS_REGION", region);
    LambdaProcess process =
        LambdaProcess.startAsManagedRuntime(
            Path.of(System.getProperty("java.home"), "bin", "java"),
            function.handler(),
            runtime.address(),
            taskRoot,
            // the heap Lambda's launcher sizes from the function's memory
            List.of("-XX:MaxRAM=" + function.memoryMb() + "m", "-XX:+UseSerialGC"),
            env,
            work.resolve(function.name() + ".log"));
    Environment started = new Environment(runtime, process);
    environments.put(function.name(), started);
    return started;
  }

  /** What one invocation came to: the function's answer, or its error, and how long it took. */
  private record Outcome(boolean ok, String body, long millis, Function function) {}

  private Outcome call(Function function, byte[] event) throws Exception {
    invocations.get(function.name()).incrementAndGet();
    long start = System.nanoTime();
    Environment environment = environment(function);
    RuntimeApiServer.Result result;
    try {
      result =
          java.util.concurrent.CompletableFuture.anyOf(
                  environment.runtime().invoke(event),
                  environment
                      .runtime()
                      .initError()
                      .thenApply(error -> new RuntimeApiServer.Result(false, error)))
              .thenApply(RuntimeApiServer.Result.class::cast)
              .get(function.timeoutSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      stop(environment);
      environments.remove(function.name());
      result =
          new RuntimeApiServer.Result(
              false,
              "{\"errorMessage\":\"Task timed out after "
                  + function.timeoutSeconds()
                  + ".00 seconds\"}");
    }
    return new Outcome(
        result.ok(), result.body(), (System.nanoTime() - start) / 1_000_000, function);
  }

  private String report(Outcome outcome) {
    long rss =
        environments.containsKey(outcome.function().name())
            ? environments.get(outcome.function().name()).process().peakRssKib() / 1024
            : 0;
    return "REPORT RequestId: "
        + UUID.randomUUID()
        + "\tDuration: "
        + outcome.millis()
        + ".00 ms\tBilled Duration: "
        + Math.max(1, outcome.millis())
        + " ms\tMemory Size: "
        + outcome.function().memoryMb()
        + " MB\tMax Memory Used: "
        + rss
        + " MB\t\n";
  }

  /** POST /2015-03-31/functions/{name}/invocations. */
  private void invoke(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readNBytes(SYNC_PAYLOAD + 1);
      String path = exchange.getRequestURI().getRawPath();
      if (!signed(exchange, path, body)) {
        error(
            exchange,
            403,
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided.");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())
          || !path.startsWith(INVOCATIONS)
          || !path.endsWith("/invocations")) {
        error(exchange, 404, "UnknownOperationException", "Unknown operation " + path);
        return;
      }
      String name =
          URLDecoder.decode(
              path.substring(INVOCATIONS.length(), path.length() - "/invocations".length()),
              StandardCharsets.UTF_8);
      if (name.startsWith("arn:")) {
        name = name.substring(name.indexOf(":function:") + ":function:".length());
      }
      Function function =
          functions.get(name.contains(":") ? name.substring(0, name.indexOf(':')) : name);
      if (function == null) {
        error(exchange, 404, "ResourceNotFoundException", "Function not found: " + name);
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
      int quota = "Event".equals(type) ? ASYNC_PAYLOAD : SYNC_PAYLOAD;
      if (body.length > quota) {
        error(
            exchange,
            413,
            "RequestTooLargeException",
            "Request must be smaller than " + quota + " bytes for the InvokeFunction operation");
        return;
      }
      try {
        JSON.readTree(body);
      } catch (IOException e) {
        error(
            exchange,
            400,
            "InvalidRequestContentException",
            "Could not parse request body into json");
        return;
      }
      if ("Event".equals(type)) {
        threads.submit(() -> call(function, body));
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      Outcome outcome = call(function, body);
      if ("Tail".equals(exchange.getRequestHeaders().getFirst("X-Amz-Log-Type"))) {
        exchange
            .getResponseHeaders()
            .set(
                "X-Amz-Log-Result",
                Base64.getEncoder()
                    .encodeToString(report(outcome).getBytes(StandardCharsets.UTF_8)));
      }
      if (!outcome.ok()) {
        exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
      }
      exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
      send(exchange, 200, outcome.body().getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      error(exchange, 500, "ServiceException", e.toString());
    }
  }

  /** A request to the function URL: signed for lambda, or 403; then the payload 2.0 event. */
  private void functionUrl(String functionName, HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readNBytes(SYNC_PAYLOAD + 1);
      if (body.length > SYNC_PAYLOAD) {
        send(
            exchange,
            413,
            ("{\"Message\":\"Request must be smaller than "
                    + SYNC_PAYLOAD
                    + " bytes for the InvokeFunction operation\"}")
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (exchange.getRequestURI().getRawQuery() != null || !signed(exchange, path, body)) {
        send(exchange, 403, "{\"Message\":\"Forbidden\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Function function = functions.get(functionName);
      if (function == null) {
        send(exchange, 404, "{\"Message\":null}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Outcome outcome = call(function, event(exchange, path, body));
      if (!outcome.ok()) {
        send(exchange, 502, "Internal Server Error".getBytes(StandardCharsets.UTF_8));
        return;
      }
      JsonNode response = JSON.readTree(outcome.body());
      response
          .path("headers")
          .properties()
          .forEach(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
      String text = response.path("body").asText("");
      byte[] bytes =
          response.path("isBase64Encoded").asBoolean()
              ? Base64.getDecoder().decode(text)
              : text.getBytes(StandardCharsets.UTF_8);
      send(exchange, response.path("statusCode").asInt(200), bytes);
    } catch (Exception e) {
      send(exchange, 502, ("{\"Message\":\"" + e + "\"}").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The event a function URL sends (payload format 2.0). */
  private byte[] event(HttpExchange exchange, String path, byte[] body) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    ObjectNode headers = event.putObject("headers");
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    ObjectNode context = event.putObject("requestContext");
    context.put("stage", "$default");
    context.put("requestId", UUID.randomUUID().toString());
    ObjectNode http = context.putObject("http");
    http.put("method", exchange.getRequestMethod());
    http.put("path", path);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "127.0.0.1");
    event.put("body", Base64.getEncoder().encodeToString(body));
    event.put("isBase64Encoded", true);
    return JSON.writeValueAsBytes(event);
  }

  /** S3's object events: each record to the function a rule routes it to, asynchronously. */
  private void notification(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode event = JSON.readTree(exchange.getRequestBody());
      for (JsonNode record : event.path("Records")) {
        String key =
            URLDecoder.decode(
                record.at("/s3/object/key").asText().replace("+", "%2B"), StandardCharsets.UTF_8);
        String name = record.path("eventName").asText();
        for (Route route : routes) {
          if (route.matches(name, key)) {
            Function function = functions.get(route.function());
            ObjectNode one = JSON.createObjectNode();
            one.putArray("Records").add(record);
            byte[] payload = JSON.writeValueAsBytes(one);
            if (function != null) {
              threads.submit(() -> call(function, payload));
            }
          }
        }
      }
      exchange.sendResponseHeaders(204, -1);
    }
  }

  /** Recomputes the request's SigV4 signature for the lambda service in this region. */
  private boolean signed(HttpExchange exchange, String path, byte[] body) {
    return SigV4.verifies(
        credentials,
        "lambda",
        region,
        exchange.getRequestMethod(),
        path,
        SigV4.headers(exchange.getRequestHeaders()),
        body);
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    send(exchange, status, JSON.writeValueAsBytes(Map.of("Type", "User", "message", message)));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** Every function that was started, for failure messages. */
  String logs() {
    List<String> out = new ArrayList<>();
    environments.forEach((name, env) -> out.add("--- " + name + ":\n" + env.process().output()));
    return String.join("\n", out);
  }

  @Override
  public void close() {
    deleteAll();
    api.stop(0);
    notifications.stop(0);
    threads.shutdownNow();
  }
}
