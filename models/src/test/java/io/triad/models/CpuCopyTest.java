package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The export check's DJL side on a fresh CPU copy of the trained network, as it runs after training
 * on GPUs: here the network trained on the CPU, so the copy must predict what the original does.
 */
class CpuCopyTest {

  @Test
  void mlpCopy_should_predictAsTheTrainedNetwork() {
    Random random = new Random(1);
    float[][] x = new float[60][3];
    int[] y = new int[60];
    for (int i = 0; i < x.length; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 3; j++) {
        x[i][j] = (float) (random.nextGaussian() + (j == y[i] ? 2 : 0));
      }
    }
    try (TrainedMlp trained =
        new MlpTrainer(
                new MlpTrainer.Config(6, 3, 8, 0.01, 2), new Device[] {Device.cpu()}, e -> {})
            .train(x, y, 3)) {
      assertClose(trained.predictOnCpuCopy(x), trained.predict(x));
    }
  }

  @Test
  void cnnCopy_should_predictAsTheTrainedNetwork() {
    Random random = new Random(2);
    Shape shape = new Shape(1, 12, 12);
    float[][] x = new float[40][144];
    int[] y = new int[40];
    for (int i = 0; i < x.length; i++) {
      y[i] = i % 2;
      for (int p = 0; p < 144; p++) {
        x[i][p] = (float) random.nextDouble() + (y[i] == 1 && p < 72 ? 1 : 0);
      }
    }
    CnnTrainer.Config config = new CnnTrainer.Config(2, 4, 2, 8, 0.01, 3, 0);
    try (TrainedCnn trained =
        new CnnTrainer(
                config,
                new Device[] {Device.cpu()},
                new TrainingProgress(
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false, 2))
            .train(x, y, shape, 2)) {
      assertClose(trained.predictOnCpuCopy(x), trained.predict(x));
    }
  }

  private static void assertClose(float[][] copy, float[][] trained) {
    assertThat(copy.length).isEqualTo(trained.length);
    for (int r = 0; r < trained.length; r++) {
      for (int c = 0; c < trained[r].length; c++) {
        assertThat(copy[r][c])
            .as("row %d class %d", r, c)
            .isCloseTo(trained[r][c], Offset.offset(1e-6f));
      }
    }
  }
}
