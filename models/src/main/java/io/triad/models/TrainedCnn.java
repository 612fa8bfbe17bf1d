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

  TrainedCnn(Model model, Trainer trainer, Shape shape, List<CnnLayer> layers) {
    this.model = model;
    this.trainer = trainer;
    this.shape = shape;
    this.layers = List.copyOf(layers);
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
