package io.triad.models;

import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/** One step of the CNN, as the exporter writes it to ONNX; kept beside the DJL blocks in order. */
public sealed interface CnnLayer {
  /** A 2-D convolution, stride 1, no padding; DJL's weight is [out, in, kh, kw] like ONNX's. */
  record Conv(Conv2d block, int kernel) implements CnnLayer {}

  record Relu() implements CnnLayer {}

  /** Max pooling with a square window and stride {@code size}. */
  record MaxPool(int size) implements CnnLayer {}

  /**
   * [N, C, H, W] to [N, C*H*W] in C-major order, as DJL's batch flatten and ONNX Flatten(axis=1).
   */
  record Flatten() implements CnnLayer {}

  /** A dense layer; DJL's weight is [out, in], so ONNX Gemm with transB=1. */
  record Dense(Linear block) implements CnnLayer {}
}
