package io.triad.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import io.triad.onnx.OnnxModelBuilder;
import io.triad.onnx.OnnxModelBuilder.Attribute;
import io.triad.onnx.OnnxModelBuilder.ElementType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a trained CNN as ONNX: {@code image [N, C, H, W]} through Conv, Relu, MaxPool, Flatten and
 * Gemm nodes in the order the network ran them, then Softmax(axis=1) into {@code probabilities [N,
 * classes]}. Pixel scaling stays in the manifest's preprocessing.
 */
public final class CnnExporter {
  public static final String INPUT = "image";

  private final String producer;

  public CnnExporter(String producer) {
    this.producer = producer;
  }

  public byte[] export(
      String graphName,
      long[] inputShape,
      List<CnnLayer> layers,
      int classes,
      Map<String, String> metadata) {
    OnnxModelBuilder onnx =
        new OnnxModelBuilder(graphName)
            .producer(producer)
            .input(INPUT, ElementType.FLOAT, -1, inputShape[0], inputShape[1], inputShape[2])
            .output(OnnxExporter.OUTPUT, ElementType.FLOAT, -1, classes);
    String previous = INPUT;
    for (int i = 0; i < layers.size(); i++) {
      String out = "layer" + i;
      CnnLayer layer = layers.get(i);
      if (layer instanceof CnnLayer.Conv conv) {
        long[] kernel = {conv.kernel(), conv.kernel()};
        parameters(onnx, conv.block(), "conv" + i);
        onnx.node(
            "Conv",
            List.of(previous, "conv" + i + "_weight", "conv" + i + "_bias"),
            List.of(out),
            Attribute.of("kernel_shape", kernel),
            Attribute.of("strides", new long[] {1, 1}),
            Attribute.of("pads", new long[] {0, 0, 0, 0}));
      } else if (layer instanceof CnnLayer.Relu) {
        onnx.node("Relu", List.of(previous), List.of(out));
      } else if (layer instanceof CnnLayer.MaxPool pool) {
        long[] window = {pool.size(), pool.size()};
        onnx.node(
            "MaxPool",
            List.of(previous),
            List.of(out),
            Attribute.of("kernel_shape", window),
            Attribute.of("strides", window));
      } else if (layer instanceof CnnLayer.Flatten) {
        onnx.node("Flatten", List.of(previous), List.of(out), Attribute.of("axis", 1L));
      } else if (layer instanceof CnnLayer.Dense dense) {
        parameters(onnx, dense.block(), "dense" + i);
        onnx.node(
            "Gemm",
            List.of(previous, "dense" + i + "_weight", "dense" + i + "_bias"),
            List.of(out),
            Attribute.of("transB", 1L));
      }
      previous = out;
    }
    onnx.node("Softmax", List.of(previous), List.of(OnnxExporter.OUTPUT), Attribute.of("axis", 1L));
    new TreeMap<>(metadata).forEach(onnx::metadata); // sorted: equal models give equal bytes
    return onnx.toBytes();
  }

  private static void parameters(OnnxModelBuilder onnx, Block block, String name) {
    NDArray weight = block.getParameters().get("weight").getArray();
    NDArray bias = block.getParameters().get("bias").getArray();
    onnx.initializer(name + "_weight", weight.toFloatArray(), weight.getShape().getShape())
        .initializer(name + "_bias", bias.toFloatArray(), bias.getShape().getShape());
  }
}
