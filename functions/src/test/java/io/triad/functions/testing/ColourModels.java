package io.triad.functions.testing;

import io.triad.onnx.OnnxModelBuilder;
import io.triad.onnx.OnnxModelBuilder.Attribute;
import io.triad.onnx.OnnxModelBuilder.ElementType;
import java.util.List;

/**
 * A tiny image classifier "exported elsewhere": 8x8 RGB pictures, a 1x1 Conv that scores redness
 * and blueness, MaxPool, GlobalAveragePool, Flatten, Softmax into {@code scores [N, 2]} ("red",
 * "blue"). The NHWC variant starts with a Transpose, as models converted from TensorFlow do.
 */
public final class ColourModels {
  public static final int SIDE = 8;

  private ColourModels() {}

  public static byte[] onnx(boolean nhwc) {
    OnnxModelBuilder onnx = new OnnxModelBuilder("colours").producer("not-triad");
    String input = "pixels";
    if (nhwc) {
      onnx.input(input, ElementType.FLOAT, -1, SIDE, SIDE, 3)
          .node(
              "Transpose",
              List.of(input),
              List.of("nchw"),
              Attribute.of("perm", new long[] {0, 3, 1, 2}));
      input = "nchw";
    } else {
      onnx.input(input, ElementType.FLOAT, -1, 3, SIDE, SIDE);
    }
    return onnx.output("scores", ElementType.FLOAT, -1, 2)
        .initializer("w", new float[] {10, 0, 0, 0, 0, 10}, 2, 3, 1, 1)
        .initializer("b", new float[] {0, 0}, 2)
        .node(
            "Conv",
            List.of(input, "w", "b"),
            List.of("conv"),
            Attribute.of("kernel_shape", new long[] {1, 1}))
        .node(
            "MaxPool",
            List.of("conv"),
            List.of("pooled"),
            Attribute.of("kernel_shape", new long[] {2, 2}),
            Attribute.of("strides", new long[] {2, 2}))
        .node("GlobalAveragePool", List.of("pooled"), List.of("mean"))
        .node("Flatten", List.of("mean"), List.of("flat"), Attribute.of("axis", 1L))
        .node("Softmax", List.of("flat"), List.of("scores"), Attribute.of("axis", 1L))
        .toBytes();
  }
}
