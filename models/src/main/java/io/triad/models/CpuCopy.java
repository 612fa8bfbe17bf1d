package io.triad.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A trained network's parameters in a fresh copy of it on the CPU. The export check compares ONNX
 * Runtime, on the CPU, with DJL: after training on GPUs it runs DJL here too, so a GPU's own
 * arithmetic (TF32 convolutions on Ampere and later, other kernels) cannot fail a faithful export.
 */
final class CpuCopy implements AutoCloseable {
  private final NDManager manager;
  private final Block block;

  /**
   * @param trained the trained network
   * @param fresh a new, uninitialized network of the same structure
   * @param input the input shape, batch first
   */
  CpuCopy(Block trained, Block fresh, Shape input) {
    manager = NDManager.newBaseManager(Device.cpu(), MlpTrainer.ENGINE);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      trained.saveParameters(new DataOutputStream(bytes));
      fresh.initialize(manager, DataType.FLOAT32, input);
      fresh.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      block = fresh;
    } catch (IOException e) {
      manager.close();
      throw new UncheckedIOException(e);
    } catch (MalformedModelException | RuntimeException e) {
      manager.close();
      throw new IllegalStateException(
          "copying the trained network to the CPU: " + e.getMessage(), e);
    }
  }

  /** Softmax probabilities of {@code rows} rows of {@code row}'s shape, flat, end to end. */
  float[] probabilities(float[] features, int rows, Shape row) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = scope.create(features, new Shape(rows).addAll(row));
      NDArray out =
          block
              .forward(new ParameterStore(scope, false), new NDList(input), false)
              .singletonOrThrow()
              .softmax(1);
      return out.toFloatArray();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
