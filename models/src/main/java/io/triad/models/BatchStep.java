package io.triad.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.Arrays;
import java.util.List;

/**
 * One optimizer step over one batch, data parallel over the trainer's devices ({@link
 * TrainingDevices}): each device forwards its part of the batch on its copy of the parameters, each
 * part's mean loss is weighted by its share, the gradients are summed across devices and the
 * optimizer steps once. With one device it is the plain step.
 */
final class BatchStep {

  /** The batch's loss summed over its rows (mean × rows) and its correct predictions. */
  record Result(double lossSum, int correct) {}

  private BatchStep() {}

  /**
   * @param features the batch's rows, flat, each of {@code row}'s shape
   * @param labels the rows' class indices
   */
  static Result run(Trainer trainer, NDManager batch, float[] features, Shape row, long[] labels) {
    return run(trainer, batch, features, row, labels, trainer.getDevices());
  }

  /**
   * As above with the batch split over {@code devices}, which name the trainer's devices (or, in a
   * test on one CPU, the same device more than once: DJL's PyTorch engine has a single CPU device
   * and refuses a trainer given it twice, so the split path is exercised with shared parameters).
   */
  static Result run(
      Trainer trainer,
      NDManager batch,
      float[] features,
      Shape row,
      long[] labels,
      Device[] devices) {
    int rows = labels.length;
    int width = (int) row.size();
    List<int[]> parts = TrainingDevices.split(rows, devices.length);
    double lossSum = 0;
    int correct = 0;
    try (GradientCollector collector = trainer.newGradientCollector()) {
      for (int i = 0; i < parts.size(); i++) {
        int from = parts.get(i)[0];
        int to = parts.get(i)[1];
        NDManager on = devices.length == 1 ? batch : batch.newSubManager(devices[i]);
        NDArray x =
            on.create(
                Arrays.copyOfRange(features, from * width, to * width),
                new Shape(to - from).addAll(row));
        NDArray y = on.create(Arrays.copyOfRange(labels, from, to));
        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
        NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
        collector.backward(parts.size() == 1 ? loss : loss.mul((float) (to - from) / rows));
        lossSum += loss.getFloat() * (to - from);
        correct += (int) logits.argMax(1).toType(y.getDataType(), false).eq(y).sum().getLong();
      }
    }
    trainer.step();
    return new Result(lossSum, correct);
  }
}
