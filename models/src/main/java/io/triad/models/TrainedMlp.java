package io.triad.models;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.List;

/** A trained DJL network: its probabilities, its dense layers for export, its training history. */
public final class TrainedMlp implements AutoCloseable {
  private final Model model;
  private final Trainer trainer;
  private final List<EpochStats> history;
  private final java.util.function.Supplier<Block> network;
  private final ai.djl.ndarray.types.Shape input;

  /**
   * @param network makes a fresh, uninitialized network of the same structure
   * @param input the input shape, batch first
   */
  TrainedMlp(
      Model model,
      Trainer trainer,
      int epochs,
      java.util.function.Supplier<Block> network,
      ai.djl.ndarray.types.Shape input) {
    this.model = model;
    this.trainer = trainer;
    this.history = new ArrayList<>(epochs);
    this.network = network;
    this.input = input;
  }

  void record(EpochStats stats) {
    history.add(stats);
  }

  public List<EpochStats> history() {
    return List.copyOf(history);
  }

  /** Softmax probabilities for standardized rows, computed by DJL (inference mode). */
  public float[][] predict(float[][] x) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray probabilities =
          trainer.evaluate(new NDList(scope.create(x))).singletonOrThrow().softmax(1);
      probabilities.attach(scope);
      int classes = (int) probabilities.getShape().get(1);
      float[] flat = probabilities.toFloatArray();
      float[][] out = new float[x.length][classes];
      for (int r = 0; r < x.length; r++) {
        System.arraycopy(flat, r * classes, out[r], 0, classes);
      }
      return out;
    }
  }

  /**
   * As {@link #predict}, always computed on the CPU: on a copy of the network there when it was
   * trained elsewhere, for the export check.
   */
  public float[][] predictOnCpu(float[][] x) {
    return onCpu() ? predict(x) : predictOnCpuCopy(x);
  }

  /** {@link #predict} on a fresh CPU copy of the trained network, whatever it trained on. */
  float[][] predictOnCpuCopy(float[][] x) {
    try (CpuCopy copy = new CpuCopy(model.getBlock(), network.get(), input)) {
      int width = x[0].length;
      float[] flat = new float[x.length * width];
      for (int r = 0; r < x.length; r++) {
        System.arraycopy(x[r], 0, flat, r * width, width);
      }
      float[] probabilities =
          copy.probabilities(flat, x.length, new ai.djl.ndarray.types.Shape(width));
      int classes = probabilities.length / x.length;
      float[][] out = new float[x.length][classes];
      for (int r = 0; r < x.length; r++) {
        System.arraycopy(probabilities, r * classes, out[r], 0, classes);
      }
      return out;
    }
  }

  private boolean onCpu() {
    return java.util.Arrays.stream(trainer.getDevices()).noneMatch(ai.djl.Device::isGpu);
  }

  /** The Linear layers in forward order, weights {@code [out, in]}. */
  public List<DenseLayer> layers() {
    List<DenseLayer> layers = new ArrayList<>();
    for (Block block : model.getBlock().getChildren().values()) {
      if (block instanceof Linear linear) {
        NDArray weight = linear.getParameters().get("weight").getArray();
        NDArray bias = linear.getParameters().get("bias").getArray();
        layers.add(
            new DenseLayer(
                (int) weight.getShape().get(0),
                (int) weight.getShape().get(1),
                weight.toFloatArray(),
                bias.toFloatArray()));
      }
    }
    return layers;
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }
}
