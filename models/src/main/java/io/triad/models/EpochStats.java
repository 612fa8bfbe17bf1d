package io.triad.models;

/**
 * One training epoch: mean cross-entropy over the epoch's batches and accuracy on the rows seen,
 * and the same two on the held-out rows after the epoch (null when none were given). The held-out
 * figures only watch: nothing is chosen by them.
 */
public record EpochStats(
    int epoch,
    double loss,
    double accuracy,
    long millis,
    Double heldOutLoss,
    Double heldOutAccuracy,
    int examples) {

  public EpochStats(int epoch, double loss, double accuracy, long millis) {
    this(epoch, loss, accuracy, millis, null, null, 0);
  }

  public EpochStats(
      int epoch,
      double loss,
      double accuracy,
      long millis,
      Double heldOutLoss,
      Double heldOutAccuracy) {
    this(epoch, loss, accuracy, millis, heldOutLoss, heldOutAccuracy, 0);
  }

  /** Training rows through the network a second, over all devices (0 when not counted). */
  @com.fasterxml.jackson.annotation.JsonProperty("examplesPerSecond")
  public double examplesPerSecond() {
    return millis <= 0 ? 0 : examples * 1000.0 / millis;
  }

  /** The same epoch with the held-out figures. */
  EpochStats withHeldOut(double[] lossAndAccuracy) {
    return lossAndAccuracy == null
        ? this
        : new EpochStats(
            epoch, loss, accuracy, millis, lossAndAccuracy[0], lossAndAccuracy[1], examples);
  }

  /**
   * Mean loss and accuracy of {@code trainer}'s network on {@code x} (rows of {@code shape},
   * batches of 512), in evaluation mode: no gradient is recorded.
   */
  static double[] heldOut(
      ai.djl.training.Trainer trainer, float[][] x, int[] y, ai.djl.ndarray.types.Shape shape) {
    if (x == null || x.length == 0) {
      return null;
    }
    double lossSum = 0;
    long correct = 0;
    int[] order = java.util.stream.IntStream.range(0, x.length).toArray();
    for (int from = 0; from < x.length; from += 512) {
      int to = Math.min(x.length, from + 512);
      try (ai.djl.ndarray.NDManager batch = trainer.getManager().newSubManager()) {
        ai.djl.ndarray.NDArray features =
            batch.create(
                TrainedCnn.flat(x, order, from, to),
                new ai.djl.ndarray.types.Shape(to - from).addAll(shape));
        ai.djl.ndarray.NDArray labels = batch.create(MlpTrainer.batchLabels(y, order, from, to));
        ai.djl.ndarray.NDArray logits =
            trainer.evaluate(new ai.djl.ndarray.NDList(features)).singletonOrThrow();
        lossSum +=
            trainer
                    .getLoss()
                    .evaluate(new ai.djl.ndarray.NDList(labels), new ai.djl.ndarray.NDList(logits))
                    .getFloat()
                * (to - from);
        correct += logits.argMax(1).toType(labels.getDataType(), false).eq(labels).sum().getLong();
      }
    }
    return new double[] {lossSum / x.length, correct / (double) x.length};
  }
}
