package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel step on the CPU: DJL's PyTorch engine has one CPU device, so the trainer is
 * given it twice. Each batch then goes through the split path (two parts, each forwarded on its
 * own, each loss weighted by its share), and the parameters are shared, so the two parts' gradients
 * add into one: the step must match the one-device step on the whole batch.
 */
class DataParallelTest {

  /**
   * One step of plain SGD (which, unlike Adam, moves by the gradient's size, so a part weighted
   * wrong shows): the parameters after the split step equal those after the whole-batch step.
   */
  @Test
  void splitStep_should_moveTheParametersAsTheWholeBatchStep() {
    float[] features = new float[10 * 3];
    long[] labels = new long[10];
    Random random = new Random(5);
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 2;
    }
    float[] whole = sgdStep(features, labels, new Device[] {Device.cpu()});
    // 10 rows over 3 parts: 4, 3 and 3 rows, each loss weighted by its share
    float[] split =
        sgdStep(features, labels, new Device[] {Device.cpu(), Device.cpu(), Device.cpu()});
    float[] before = sgdStep(features, labels, new Device[0]);

    assertThat(whole).isNotEqualTo(before);
    for (int i = 0; i < whole.length; i++) {
      assertThat(split[i])
          .as("parameter %d", i)
          .isCloseTo(whole[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  /** A seeded Linear(2) after one SGD step over {@code parts} (none: the initial parameters). */
  private static float[] sgdStep(float[] features, long[] labels, Device[] parts) {
    ai.djl.engine.Engine.getEngine(MlpTrainer.ENGINE).setRandomSeed(11);
    try (ai.djl.Model model = ai.djl.Model.newInstance("step", Device.cpu(), MlpTrainer.ENGINE)) {
      model.setBlock(ai.djl.nn.core.Linear.builder().setUnits(2).build());
      try (ai.djl.training.Trainer trainer =
          model.newTrainer(
              new ai.djl.training.DefaultTrainingConfig(
                      ai.djl.training.loss.Loss.softmaxCrossEntropyLoss())
                  .optDevices(new Device[] {Device.cpu()})
                  .optOptimizer(
                      ai.djl.training.optimizer.Optimizer.sgd()
                          .setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.5f))
                          .build()))) {
        trainer.initialize(new ai.djl.ndarray.types.Shape(labels.length, 3));
        if (parts.length > 0) {
          try (ai.djl.ndarray.NDManager batch = trainer.getManager().newSubManager()) {
            BatchStep.run(
                trainer, batch, features, new ai.djl.ndarray.types.Shape(3), labels, parts);
          }
        }
        return flatten(model);
      }
    }
  }

  private static float[] flatten(ai.djl.Model model) {
    List<float[]> arrays =
        model.getBlock().getParameters().values().stream()
            .map(p -> p.getArray().toFloatArray())
            .toList();
    float[] all = new float[arrays.stream().mapToInt(a -> a.length).sum()];
    int at = 0;
    for (float[] a : arrays) {
      System.arraycopy(a, 0, all, at, a.length);
      at += a.length;
    }
    return all;
  }

  @Test
  void split_should_trainTheSameModel_asOneDeviceOnTheWholeBatch() {
    Random random = new Random(3);
    int rows = 150;
    float[][] x = new float[rows][4];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) (random.nextGaussian() + (j == y[i] ? 2.5 : 0));
      }
    }
    MlpTrainer.Config config = new MlpTrainer.Config(8, 4, 16, 0.01, 7);

    List<EpochStats> one;
    List<EpochStats> two;
    float[][] onePredictions;
    float[][] twoPredictions;
    try (TrainedMlp trained =
        new MlpTrainer(config, new Device[] {Device.cpu()}, e -> {}).train(x, y, 3)) {
      one = trained.history();
      onePredictions = trained.predict(x);
    }
    try (TrainedMlp trained =
        new MlpTrainer(
                config,
                new Device[] {Device.cpu()},
                new Device[] {Device.cpu(), Device.cpu()},
                e -> {})
            .train(x, y, 3)) {
      two = trained.history();
      twoPredictions = trained.predict(x);
    }

    for (int e = 0; e < one.size(); e++) {
      assertThat(two.get(e).loss())
          .as("epoch %d loss", e + 1)
          .isCloseTo(one.get(e).loss(), org.assertj.core.data.Offset.offset(1e-4));
    }
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < 3; c++) {
        assertThat(twoPredictions[i][c])
            .isCloseTo(onePredictions[i][c], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }
}
