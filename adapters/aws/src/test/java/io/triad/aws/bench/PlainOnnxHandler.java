package io.triad.aws.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The baseline for the cold-start figures: what a hand-written Lambda would do with the same model
 * and no framework. Loads {@code MODEL_FILE} at init, answers an API Gateway v2 OIP infer event
 * with one FP32 [n,4] input. Benchmark-only.
 */
public final class PlainOnnxHandler implements RequestStreamHandler {
  private final ObjectMapper json = new ObjectMapper();
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  public PlainOnnxHandler() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    session = env.createSession(Path.of(System.getenv("MODEL_FILE")).toString(), options);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode tensor = json.readTree(json.readTree(input).path("body").asText()).at("/inputs/0");
    JsonNode data = tensor.path("data");
    float[][] rows = new float[data.size() / 4][4];
    for (int i = 0; i < data.size(); i++) {
      rows[i / 4][i % 4] = (float) data.get(i).asDouble();
    }
    try (OnnxTensor in = OnnxTensor.createTensor(env, rows);
        OrtSession.Result result = session.run(Map.of("features", in))) {
      float[][] probabilities = (float[][]) result.get(0).getValue();
      String body = json.writeValueAsString(Map.of("outputs", probabilities));
      json.writeValue(
          output,
          Map.of(
              "statusCode",
              200,
              "headers",
              Map.of("Content-Type", "application/json"),
              "body",
              body,
              "isBase64Encoded",
              false));
    } catch (OrtException e) {
      throw new IOException(e);
    }
  }
}
