package io.triad.models;

import io.triad.onnx.OnnxModelBuilder;
import io.triad.onnx.OnnxModelBuilder.Attribute;
import io.triad.onnx.OnnxModelBuilder.ElementType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a trained MLP as ONNX: raw {@code features [N, F]} go through Sub(mean) and Div(std), then
 * Gemm(transB=1) layers with Relu between them, then Softmax(axis=1) into {@code probabilities [N,
 * C]}. Callers send unscaled values; the scaling travels with the model.
 */
public final class OnnxExporter {
  public static final String INPUT = "features";
  public static final String OUTPUT = "probabilities";

  private final String producer;

  public OnnxExporter(String producer) {
    this.producer = producer;
  }

  public byte[] export(
      String graphName,
      FeatureScaler scaler,
      List<DenseLayer> layers,
      Map<String, String> metadata) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("no layers to export");
    }
    int width = scaler.mean().length;
    int classes = layers.get(layers.size() - 1).out();
    OnnxModelBuilder onnx =
        new OnnxModelBuilder(graphName)
            .producer(producer)
            .input(INPUT, ElementType.FLOAT, -1, width)
            .output(OUTPUT, ElementType.FLOAT, -1, classes)
            .initializer("scale_mean", scaler.mean(), width)
            .initializer("scale_std", scaler.std(), width)
            .node("Sub", List.of(INPUT, "scale_mean"), List.of("centered"))
            .node("Div", List.of("centered", "scale_std"), List.of("scaled"));
    String previous = "scaled";
    for (int i = 0; i < layers.size(); i++) {
      DenseLayer layer = layers.get(i);
      String weight = "dense" + i + "_weight";
      String bias = "dense" + i + "_bias";
      String out = i == layers.size() - 1 ? "logits" : "dense" + i;
      onnx.initializer(weight, layer.weight(), layer.out(), layer.in())
          .initializer(bias, layer.bias(), layer.out())
          .node("Gemm", List.of(previous, weight, bias), List.of(out), Attribute.of("transB", 1L));
      previous = out;
      if (i < layers.size() - 1) {
        onnx.node("Relu", List.of(out), List.of("relu" + i));
        previous = "relu" + i;
      }
    }
    onnx.node("Softmax", List.of(previous), List.of(OUTPUT), Attribute.of("axis", 1L));
    new TreeMap<>(metadata).forEach(onnx::metadata); // sorted: equal models give equal bytes
    return onnx.toBytes();
  }
}
