package io.triad.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The local runtime's baseline: what a developer would write by hand to serve the same two models
 * over HTTP with no framework. The JDK's HTTP server on 127.0.0.1, Jackson, one ONNX Runtime
 * session per model (one intra-op thread), {@code POST /v1/models/{iris|mnist}:predict} with the
 * local runtime's request shape; no validation beyond what Jackson, ImageIO and ONNX Runtime do.
 * Benchmark-only.
 *
 * <p>Arguments: {@code PORT MODEL=FILE...} ({@code iris} and/or {@code mnist}).
 */
public final class PlainOnnxServer {
  private static final List<String> IRIS_FEATURES =
      List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
  private static final List<String> IRIS_LABELS = List.of("setosa", "versicolor", "virginica");

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, OrtSession> sessions = new HashMap<>();

  private PlainOnnxServer(Map<String, String> models) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      for (Map.Entry<String, String> model : models.entrySet()) {
        sessions.put(model.getKey(), env.createSession(model.getValue(), options));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> models = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      models.put(kv[0], kv[1]);
    }
    PlainOnnxServer plain = new PlainOnnxServer(models);
    // as the local runtime does: without TCP_NODELAY each kept-alive answer waits ~40 ms for a
    // delayed ACK
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext("/v1/models/", plain::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String model = path.substring("/v1/models/".length(), path.length() - ":predict".length());
      JsonNode instances = json.readTree(exchange.getRequestBody()).path("instances");
      byte[] body =
          json.writeValueAsBytes(model.equals("mnist") ? digits(instances) : iris(instances));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (OrtException | RuntimeException e) {
      exchange.sendResponseHeaders(500, -1);
    }
  }

  private ObjectNode iris(JsonNode instances) throws OrtException {
    float[][] rows = new float[instances.size()][IRIS_FEATURES.size()];
    for (int i = 0; i < rows.length; i++) {
      for (int f = 0; f < rows[i].length; f++) {
        rows[i][f] = (float) instances.get(i).path(IRIS_FEATURES.get(f)).asDouble();
      }
    }
    try (OnnxTensor input = OnnxTensor.createTensor(env, rows)) {
      return answer(sessions.get("iris"), input, IRIS_LABELS);
    }
  }

  /** 28x28 grayscale PNGs, x/255, NCHW: the MNIST model's input as its manifest describes it. */
  private ObjectNode digits(JsonNode instances) throws IOException, OrtException {
    float[][][][] pictures = new float[instances.size()][1][28][28];
    for (int i = 0; i < pictures.length; i++) {
      BufferedImage image =
          ImageIO.read(
              new ByteArrayInputStream(
                  Base64.getDecoder().decode(instances.get(i).path("b64").asText())));
      Raster raster = image.getRaster();
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          pictures[i][0][y][x] = raster.getSample(x, y, 0) / 255f;
        }
      }
    }
    try (OnnxTensor input = OnnxTensor.createTensor(env, pictures)) {
      return answer(
          sessions.get("mnist"), input, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }
  }

  private ObjectNode answer(OrtSession session, OnnxTensor input, List<String> labels)
      throws OrtException {
    ObjectNode answer = json.createObjectNode();
    ArrayNode predictions = answer.putArray("predictions");
    try (OrtSession.Result result =
        session.run(Map.of(session.getInputNames().iterator().next(), input))) {
      for (float[] p : (float[][]) result.get(0).getValue()) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
          best = p[c] > p[best] ? c : best;
        }
        predictions.addObject().put("label", labels.get(best)).put("probability", p[best]);
      }
    }
    return answer;
  }
}
