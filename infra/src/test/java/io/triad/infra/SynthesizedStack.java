package io.triad.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.Testing;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.TriadConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One stack synthesized from {@code triad-test.yaml} with CDKTF's {@code Testing.synth}, parsed
 * with Jackson. Synth takes seconds, so each cloud's stack is made once per test JVM and shared by
 * every test class that reads it.
 */
public final class SynthesizedStack {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Cloud, SynthesizedStack> STACKS = new EnumMap<>(Cloud.class);

  private final String text;
  private final JsonNode root;

  private SynthesizedStack(String text) throws IOException {
    this.text = text;
    this.root = JSON.readTree(text);
  }

  public static synchronized SynthesizedStack of(Cloud cloud) {
    return STACKS.computeIfAbsent(
        cloud,
        c -> {
          App app = Testing.app();
          try {
            return new SynthesizedStack(Testing.synth(c.stack(app, testConfig())));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  public static TriadConfig testConfig() {
    try (InputStream in = SynthesizedStack.class.getResourceAsStream("/triad-test.yaml")) {
      return new ConfigLoader()
          .read("triad-test.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The synthesized JSON as CDKTF printed it. */
  public String text() {
    return text;
  }

  public JsonNode root() {
    return root;
  }

  /** Every resource of {@code type}, whatever its logical id. */
  public List<JsonNode> resources(String type) {
    List<JsonNode> found = new ArrayList<>();
    root.path("resource").path(type).forEach(found::add);
    return found;
  }

  /**
   * The one resource of {@code type} made by the construct at {@code path} under the stack (e.g.
   * {@code functions/http}); CDKTF names it by that path plus a hash.
   */
  public JsonNode resource(String type, String path) {
    String logicalId = path.replace('/', '_');
    JsonNode byType = root.path("resource").path(type);
    List<String> ids = new ArrayList<>();
    byType.fieldNames().forEachRemaining(ids::add);
    return ids.stream()
        .filter(
            id ->
                id.equals(logicalId)
                    || id.matches(java.util.regex.Pattern.quote(logicalId) + "_[0-9A-F]{8}"))
        .findFirst()
        .map(byType::path)
        .orElseThrow(() -> new AssertionError("no " + type + " made at " + path + "; have " + ids));
  }

  /** Parses a JSON document held as a string attribute (IAM policies, container properties). */
  public static JsonNode parse(JsonNode stringAttribute) {
    try {
      return JSON.readTree(stringAttribute.asText());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + stringAttribute.asText(), e);
    }
  }

  public static List<String> texts(JsonNode arrayOrText) {
    List<String> values = new ArrayList<>();
    if (arrayOrText.isArray()) {
      arrayOrText.forEach(v -> values.add(v.asText()));
    } else if (!arrayOrText.isMissingNode()) {
      values.add(arrayOrText.asText());
    }
    return values;
  }
}
