package io.triad.models;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.List;

/** A trained DJL CNN: its probabilities, its layers for export, its training history. */
public final class TrainedCnn implements AutoCloseable {
  private static final int PREDICT_BATCH = 256;

  private final Model model;
  private final Trainer trainer;
  private final Shape shape;
  private final List<CnnLayer> layers;
  private final List<EpochStats> history = new ArrayList<>();

  private final java.util.function.Supplier<ai.djl.nn.Block> network;

  /** {@code network} makes a fresh, uninitialized network of the same structure. */
  TrainedCnn(
      Model model,
      Trainer trainer,
      Shape shape,
      List<CnnLayer> layers,
      java.util.function.Supplier<ai.djl.nn.Block> network) {
    this.model = model;
    this.trainer = trainer;
    this.shape = shape;
    this.layers = List.copyOf(layers);
    this.network = network;
  }

  /**
   * As {@link #predict}, always computed on the CPU: on a copy of the network there when it was
   * trained elsewhere, for the export check.
   */
  public float[][] predictOnCpu(float[][] x) {
    return java.util.Arrays.stream(trainer.getDevices()).noneMatch(ai.djl.Device::isGpu)
        ? predict(x)
        : predictOnCpuCopy(x);
  }

  /** {@link #predict} on a fresh CPU copy of the trained network, whatever it trained on. */
  float[][] predictOnCpuCopy(float[][] x) {
    float[][] out = new float[x.length][];
    int[] order = java.util.stream.IntStream.range(0, x.length).toArray();
    try (CpuCopy copy = new CpuCopy(model.getBlock(), network.get(), new Shape(1).addAll(shape))) {
      for (int from = 0; from < x.length; from += PREDICT_BATCH) {
        int to = Math.min(x.length, from + PREDICT_BATCH);
        float[] values = copy.probabilities(flat(x, order, from, to), to - from, shape);
        int classes = values.length / (to - from);
        for (int r = from; r < to; r++) {
          out[r] = new float[classes];
          System.arraycopy(values, (r - from) * classes, out[r], 0, classes);
        }
      }
    }
    return out;
  }

  void record(EpochStats stats) {
    history.add(stats);
  }

  public List<EpochStats> history() {
    return List.copyOf(history);
  }

  public List<CnnLayer> layers() {
    return layers;
  }

  /** Softmax probabilities for rows of [C*H*W] values, computed by DJL (inference mode). */
  public float[][] predict(float[][] x) {
    float[][] out = new float[x.length][];
    int[] order = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      order[i] = i;
    }
    for (int from = 0; from < x.length; from += PREDICT_BATCH) {
      int to = Math.min(x.length, from + PREDICT_BATCH);
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDArray input = scope.create(flat(x, order, from, to), new Shape(to - from).addAll(shape));
        NDArray probabilities = trainer.evaluate(new NDList(input)).singletonOrThrow().softmax(1);
        probabilities.attach(scope);
        int classes = (int) probabilities.getShape().get(1);
        float[] values = probabilities.toFloatArray();
        for (int r = from; r < to; r++) {
          out[r] = new float[classes];
          System.arraycopy(values, (r - from) * classes, out[r], 0, classes);
        }
      }
    }
    return out;
  }

  /** Rows {@code order[from..to)} of {@code x}, end to end. */
  static float[] flat(float[][] x, int[] order, int from, int to) {
    int width = x[0].length;
    float[] out = new float[(to - from) * width];
    for (int i = from; i < to; i++) {
      System.arraycopy(x[order[i]], 0, out, (i - from) * width, width);
    }
    return out;
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }
}
