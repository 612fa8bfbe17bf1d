package io.triad.functions.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ModelManifest.Postprocessing;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionWriterTest {
  private final ObjectMapper json = TriadJson.mapper();
  private final InferenceResponse response =
      new InferenceResponse(
          "iris",
          "1",
          null,
          null,
          List.of(
              NamedTensor.of(
                  "probabilities",
                  "FP32",
                  List.of(2L, 3L),
                  new float[] {0.7f, 0.2f, 0.1f, 0.05f, 0.15f, 0.8f})));

  @Test
  void write_should_matchTheHttpPredictions_when_modelHasLabels() throws Exception {
    // given labels with a top-k, as the v1 HTTP answer would give them
    Postprocessing post = new Postprocessing("probabilities", List.of("a", "b", "c"), false, 2);
    List<String> http = Postprocessor.rows(response, post).stream().map(this::write).toList();
    // when the upload writer writes the same response
    List<JsonNode> lines = lines(post, Arrays.asList("x-1", null));
    // then each line is the HTTP prediction, with the id first when there is one
    assertThat(lines.get(0).get("id").asText()).isEqualTo("x-1");
    ((com.fasterxml.jackson.databind.node.ObjectNode) lines.get(0)).remove("id");
    // byte for byte: the same fields, in the same order, numbers written the same way
    assertThat(lines).extracting(JsonNode::toString).containsExactlyElementsOf(http);
    assertThat(lines.get(1).get("top_k").get(0).get("label").asText()).isEqualTo("c");
  }

  @Test
  void write_should_writeRawRows_when_modelHasNoLabels() throws Exception {
    // given no postprocessing
    // when written
    List<JsonNode> lines = lines(null, Arrays.asList(null, null));
    // then each line carries the output's row
    assertThat(lines.get(1).get("probabilities").toString()).isEqualTo("[0.05,0.15,0.8]");
  }

  private List<JsonNode> lines(Postprocessing post, List<Object> ids) throws Exception {
    StringWriter out = new StringWriter();
    try (PredictionWriter writer = new PredictionWriter(json, out)) {
      writer.write(response, post, ids);
    }
    String[] text = out.toString().split("\n");
    assertThat(text).hasSize(2);
    assertThat(text).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
    assertThat(out.toString()).endsWith("}\n");
    return Arrays.stream(text).map(this::read).toList();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode read(String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
