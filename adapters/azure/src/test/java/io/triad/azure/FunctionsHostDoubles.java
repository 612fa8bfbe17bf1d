package io.triad.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Test doubles of what the Azure Functions host hands a Java function. The host (Core Tools or the
 * cloud) cannot run on this build machine, so tests stand in for it with these, and otherwise take
 * the worker's path: ServiceLoader, the injector, then the annotated method.
 */
final class FunctionsHostDoubles {
  private FunctionsHostDoubles() {}

  /** An invocation context whose logger keeps what the function logged. */
  static final class Invocation implements ExecutionContext {
    private final String function;
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    Invocation(String function) {
      this.function = function;
      this.logger = Logger.getAnonymousLogger();
      logger.setUseParentHandlers(false);
      logger.addHandler(
          new Handler() {
            @Override
            public void publish(LogRecord record) {
              lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          });
    }

    List<String> logged() {
      return List.copyOf(lines);
    }

    @Override
    public Logger getLogger() {
      return logger;
    }

    @Override
    public String getInvocationId() {
      return "test-invocation";
    }

    @Override
    public String getFunctionName() {
      return function;
    }
  }

  /** A request as the host builds it for a binary-typed HTTP trigger. */
  record Request(HttpMethod method, URI uri, Map<String, String> headers, byte[] body)
      implements HttpRequestMessage<Optional<byte[]>> {

    static Request get(String path) {
      return new Request(
          HttpMethod.GET, URI.create("https://triad.azurewebsites.net" + path), Map.of(), null);
    }

    static Request post(String path, String contentType, byte[] body) {
      return new Request(
          HttpMethod.POST,
          URI.create("https://triad.azurewebsites.net" + path),
          Map.of("content-type", contentType),
          body);
    }

    @Override
    public URI getUri() {
      return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
      return method;
    }

    @Override
    public Map<String, String> getHeaders() {
      return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
      return Map.of();
    }

    @Override
    public Optional<byte[]> getBody() {
      return Optional.ofNullable(body);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
      return new ResponseBuilder(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
      return new ResponseBuilder(status);
    }
  }

  static final class ResponseBuilder implements HttpResponseMessage.Builder {
    private HttpStatusType status;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private Object body;

    ResponseBuilder(HttpStatusType status) {
      this.status = status;
    }

    @Override
    public HttpResponseMessage.Builder status(HttpStatusType status) {
      this.status = status;
      return this;
    }

    @Override
    public HttpResponseMessage.Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    @Override
    public HttpResponseMessage.Builder body(Object body) {
      this.body = body;
      return this;
    }

    @Override
    public HttpResponseMessage build() {
      return new Response(status, Map.copyOf(headers), body);
    }
  }

  record Response(HttpStatusType status, Map<String, String> headers, Object body)
      implements HttpResponseMessage {
    @Override
    public HttpStatusType getStatus() {
      return status;
    }

    @Override
    public String getHeader(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }

    @Override
    public Object getBody() {
      return body;
    }

    String text() {
      return new String((byte[]) body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
