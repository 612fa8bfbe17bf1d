package io.triad.gcp.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The baseline for the start and latency figures: what a hand-written Cloud Function serving the
 * same iris model would be. No Spring, no registry, no validation beyond what Jackson and ONNX
 * Runtime do; the model file is read from {@code PLAIN_MODEL} at construction.
 */
public final class PlainIrisFunction implements HttpFunction {
  // spelled out, not taken from the test fixtures: the function class path is the deploy jar and
  // this class
  private static final List<String> FEATURES =
      List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
  private static final List<String> LABELS = List.of("setosa", "versicolor", "virginica");

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final ObjectMapper json = new ObjectMapper();

  public PlainIrisFunction() throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      session = env.createSession(System.getenv("PLAIN_MODEL"), options);
    }
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    JsonNode instances = json.readTree(request.getInputStream()).path("instances");
    float[][] rows = new float[instances.size()][FEATURES.size()];
    for (int i = 0; i < rows.length; i++) {
      for (int f = 0; f < rows[i].length; f++) {
        rows[i][f] = (float) instances.get(i).path(FEATURES.get(f)).asDouble();
      }
    }
    ObjectNode answer = json.createObjectNode();
    ArrayNode predictions = answer.putArray("predictions");
    try (OnnxTensor input = OnnxTensor.createTensor(env, rows);
        OrtSession.Result result = session.run(Map.of("features", input))) {
      float[][] probabilities = (float[][]) result.get(0).getValue();
      for (float[] p : probabilities) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
          best = p[c] > p[best] ? c : best;
        }
        predictions.addObject().put("label", LABELS.get(best)).put("probability", p[best]);
      }
    }
    response.setContentType("application/json");
    try (OutputStream out = response.getOutputStream()) {
      json.writeValue(out, answer);
    }
  }
}
