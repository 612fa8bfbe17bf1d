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

  TrainedMlp(Model model, Trainer trainer, int epochs) {
    this.model = model;
    this.trainer = trainer;
    this.history = new ArrayList<>(epochs);
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
