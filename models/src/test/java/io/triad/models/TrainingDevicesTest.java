package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --devices} against engines that see 0, 1 and 2 GPUs (the count is what the engine reports,
 * given here), and the data-parallel split of a batch.
 */
class TrainingDevicesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "auto; 0; cpu",
        "auto; 1; gpu:0",
        "auto; 2; gpu:0,gpu:1",
        "AUTO; 2; gpu:0,gpu:1",
        "cpu; 2; cpu",
        "gpu; 2; gpu:0,gpu:1",
        "gpu:1; 2; gpu:1",
        "gpu:1,0; 2; gpu:1,gpu:0",
        "gpu:0; 1; gpu:0"
      })
  void select_should_nameTheDevicesAsked(String spec, int gpus, String expected) {
    assertThat(TrainingDevices.names(TrainingDevices.select(spec, gpus)))
        .containsExactly(expected.split(","));
  }

  @Test
  void select_should_trainOnEveryGpu_when_auto() {
    assertThat(TrainingDevices.select(null, 2)).containsExactly(Device.gpu(0), Device.gpu(1));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "gpu; 0; asks for gpu:0, but the PyTorch engine sees no GPU (no CUDA driver, or a CPU-only"
            + " libtorch); the job stops rather than train on the CPU",
        "gpu:0,1; 1; asks for gpu:1, but the PyTorch engine sees 1 GPU (gpu:0)",
        "gpu:2; 2; asks for gpu:2, but the PyTorch engine sees 2 GPUs (gpu:0-1)"
      })
  void select_should_failTheJob_when_theEngineSeesTooFewGpus(
      String spec, int gpus, String message) {
    // a TrainerException: TrainerMain exits 1, which the batch services do not retry
    assertThatThrownBy(() -> TrainingDevices.select(spec, gpus))
        .isInstanceOf(TrainerException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({"tpu", "gpu:", "'gpu:0,0'", "gpu:-1", "gpu:a", "cpu:0"})
  void select_should_refuseWhatIsNoDeviceList(String spec) {
    assertThatThrownBy(() -> TrainingDevices.select(spec, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--devices " + spec);
  }

  @Test
  void split_should_coverTheBatchInOrder_withPartsDifferingByAtMostOneRow() {
    assertThat(TrainingDevices.split(16, 3))
        .containsExactly(new int[] {0, 6}, new int[] {6, 11}, new int[] {11, 16});
    assertThat(TrainingDevices.split(16, 1)).containsExactly(new int[] {0, 16});
    // the last batch of an epoch may hold fewer rows than there are devices
    assertThat(TrainingDevices.split(1, 2)).containsExactly(new int[] {0, 1});
    for (int rows = 1; rows <= 40; rows++) {
      for (int devices = 1; devices <= 8; devices++) {
        List<int[]> parts = TrainingDevices.split(rows, devices);
        int next = 0;
        for (int[] part : parts) {
          assertThat(part[0]).isEqualTo(next);
          assertThat(part[1] - part[0]).isBetween(rows / devices, rows / devices + 1).isPositive();
          next = part[1];
        }
        assertThat(next).isEqualTo(rows);
      }
    }
  }
}
