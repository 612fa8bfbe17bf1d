package io.triad.functions.inference;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.model.ModelManifest.Postprocessing;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes predictions as JSON lines for uploads, field for field what {@link Postprocessor} answers
 * over HTTP, but straight to a generator: no map or boxed float per row, which is most of the cost
 * at a million rows.
 */
public final class PredictionWriter implements AutoCloseable {
  private final JsonGenerator out;
  private final ObjectWriter values;

  public PredictionWriter(ObjectMapper json, Writer writer) throws IOException {
    this.out = json.getFactory().createGenerator(writer);
    // lines are separated by the newline we write, not by the generator's default space
    this.out.setRootValueSeparator(null);
    this.values = json.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
  }

  /** One line per row of {@code response}; {@code ids} (null entries allowed) are echoed first. */
  public void write(InferenceResponse response, Postprocessing post, List<Object> ids)
      throws IOException {
    if (post == null || post.output() == null || post.labels().isEmpty()) {
      List<Map<String, Object>> rows = Postprocessor.rows(response, post);
      for (int r = 0; r < rows.size(); r++) {
        out.writeStartObject();
        writeId(ids.get(r));
        for (Map.Entry<String, Object> field : rows.get(r).entrySet()) {
          out.writeFieldName(field.getKey());
          values.writeValue(out, field.getValue());
        }
        endLine();
      }
      return;
    }
    float[] scores = Postprocessor.floats(response.output(post.output()).data());
    int classes = post.labels().size();
    for (int r = 0; r < scores.length / classes; r++) {
      float[] p = Arrays.copyOfRange(scores, r * classes, (r + 1) * classes);
      if (post.softmax()) {
        Postprocessor.softmaxInPlace(p);
      }
      out.writeStartObject();
      writeId(ids.get(r));
      writeClassification(p, post);
      endLine();
    }
  }

  private void writeClassification(float[] p, Postprocessing post) throws IOException {
    int best = Postprocessor.argmax(p);
    out.writeStringField("label", post.labels().get(best));
    out.writeNumberField("probability", p[best]);
    out.writeObjectFieldStart("probabilities");
    for (int c = 0; c < p.length; c++) {
      out.writeNumberField(post.labels().get(c), p[c]);
    }
    out.writeEndObject();
    if (post.topK() != null && post.topK() > 0) {
      out.writeArrayFieldStart("top_k");
      for (int c : Postprocessor.topK(p, post.topK())) {
        out.writeStartObject();
        out.writeStringField("label", post.labels().get(c));
        out.writeNumberField("probability", p[c]);
        out.writeEndObject();
      }
      out.writeEndArray();
    }
  }

  private void writeId(Object id) throws IOException {
    if (id instanceof String text) {
      out.writeStringField("id", text);
    } else if (id instanceof JsonNode node && !node.isNull()) {
      out.writeFieldName("id");
      out.writeTree(node);
    }
  }

  private void endLine() throws IOException {
    out.writeEndObject();
    out.writeRaw('\n');
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
