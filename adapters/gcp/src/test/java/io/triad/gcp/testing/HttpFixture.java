package io.triad.gcp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP request as a fixture file under {@code events/gcp/...}: {@code method}, {@code path},
 * {@code headers}, and a {@code body} (JSON, sent as written) or {@code bodyText} (sent verbatim).
 * A CloudEvent is the same thing: structured mode is a {@code application/cloudevents+json} body,
 * binary mode is {@code ce-*} headers with the data as the body. Beside each request, {@code
 * NAME.expected.json} says what must come back (see {@link Expected}).
 */
public record HttpFixture(
    String name,
    String method,
    String path,
    Map<String, String> headers,
    byte[] body,
    Expected expected) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Loads {@code events/gcp/{name}.json} and {@code events/gcp/{name}.expected.json} from the test
   * class path.
   */
  public static HttpFixture load(String name) {
    JsonNode request = read("events/gcp/" + name + ".json");
    JsonNode headers = request.path("headers");
    Map<String, String> headerMap = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> header : headers.properties()) {
      headerMap.put(header.getKey(), header.getValue().asText());
    }
    byte[] body;
    if (request.has("bodyText")) {
      body = request.get("bodyText").asText().getBytes(StandardCharsets.UTF_8);
    } else if (request.has("body")) {
      body = request.get("body").toString().getBytes(StandardCharsets.UTF_8);
    } else {
      body = new byte[0];
    }
    return new HttpFixture(
        name,
        request.path("method").asText("POST"),
        request.path("path").asText("/"),
        headerMap,
        body,
        Expected.of(read("events/gcp/" + name + ".expected.json")));
  }

  public HttpResponse<String> send(HttpClient client, LoopbackFunctionServer server) {
    return send(client, server.uri(path));
  }

  /** Sends the request to {@code base} (scheme, host and port) plus the fixture's path. */
  public HttpResponse<String> send(HttpClient client, String base) {
    return send(client, URI.create(base + path));
  }

  private HttpResponse<String> send(HttpClient client, URI uri) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            // a function that never answers fails the test instead of holding the build
            .timeout(java.time.Duration.ofMinutes(2))
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("sending " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(String resource) {
    try (InputStream in = HttpFixture.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource + " on the test class path");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
