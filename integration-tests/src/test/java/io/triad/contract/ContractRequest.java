package io.triad.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request of the contract, read from {@code contract/http/NAME.json}: {@code method}, {@code
 * path}, {@code headers}, and a body given as {@code body} (JSON, sent as written), {@code
 * bodyText} (sent verbatim), {@code bodyBase64} (bytes that are not text) or {@code bodyRepeat}
 * ({@code {"text", "times"}}, for bodies too big to keep as a file).
 */
record ContractRequest(
    String name, String method, String path, Map<String, String> headers, byte[] body) {

  static ContractRequest load(Path file, ObjectMapper json) {
    try {
      JsonNode request = json.readTree(file.toFile());
      Map<String, String> headers = new LinkedHashMap<>();
      request
          .path("headers")
          .properties()
          .forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
      String name = file.getFileName().toString().replaceFirst("\\.json$", "");
      return new ContractRequest(
          name,
          request.path("method").asText("POST"),
          request.path("path").asText(),
          Map.copyOf(headers),
          body(request));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  private static byte[] body(JsonNode request) {
    if (request.has("body")) {
      return request.get("body").toString().getBytes(StandardCharsets.UTF_8);
    }
    if (request.has("bodyText")) {
      return request.get("bodyText").asText().getBytes(StandardCharsets.UTF_8);
    }
    if (request.has("bodyBase64")) {
      return java.util.Base64.getDecoder().decode(request.get("bodyBase64").asText());
    }
    if (request.has("bodyRepeat")) {
      JsonNode repeat = request.get("bodyRepeat");
      return repeat
          .get("text")
          .asText()
          .repeat(repeat.get("times").asInt())
          .getBytes(StandardCharsets.UTF_8);
    }
    return new byte[0];
  }

  /** The expected answer's file beside this request's. */
  static Path expectedFile(Path requestFile) {
    return requestFile.resolveSibling(
        requestFile.getFileName().toString().replaceFirst("\\.json$", ".expected.json"));
  }

  static boolean isRequest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".json") && !name.endsWith(".expected.json") && Files.isRegularFile(file);
  }
}
