package io.triad.models;

/**
 * One trained fully connected layer, {@code y = x W^T + b}: {@code weight} is row-major {@code
 * [out, in]} as DJL keeps it, which is ONNX Gemm with {@code transB=1}.
 */
public record DenseLayer(int out, int in, float[] weight, float[] bias) {

  public DenseLayer {
    if (weight.length != out * in || bias.length != out) {
      throw new IllegalArgumentException(
          "layer ["
              + out
              + ","
              + in
              + "] has "
              + weight.length
              + " weights and "
              + bias.length
              + " biases");
    }
  }
}
