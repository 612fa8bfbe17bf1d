package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both trainers stopped after an epoch and resumed from the checkpoint they wrote (through its byte
 * form, as the store holds it) end where an uninterrupted run with the same seed ends: the same
 * figures for every epoch, the same predictions within 1e-6. The picture trainer's random shifts
 * come from the checkpointed shuffle state too. A checkpoint that was altered is refused.
 */
class CheckpointResumeTest {

  /** Keeps the last checkpoint as bytes; after {@code stopAfter} epochs, stops the run. */
  private static final class Memory implements RunState.Checkpoints {
    private byte[] last;
    private int stopAfter = Integer.MAX_VALUE;

    @Override
    public String fingerprint() {
      return "test run";
    }

    @Override
    public Optional<Checkpoint> latest() {
      return Optional.ofNullable(last).map(Checkpoint::decode);
    }

    @Override
    public void save(Checkpoint checkpoint) {
      last = checkpoint.encode();
      if (checkpoint.epoch() >= stopAfter) {
        throw new IllegalStateException("the machine was taken back");
      }
    }
  }

  @Test
  void mlp_should_endWhereAnUninterruptedRunEnds() {
    Random random = new Random(3);
    float[][] x = new float[300][4];
    int[] y = new int[300];
    for (int i = 0; i < x.length; i++) {
      y[i] = i % 3;
      for (int f = 0; f < 4; f++) {
        x[i][f] = (float) (random.nextGaussian() + y[i]);
      }
    }
    MlpTrainer.Config config = new MlpTrainer.Config(8, 5, 16, 0.01, 4);
    Memory memory = new Memory();
    memory.stopAfter = 2;
    assertThatThrownBy(
            () -> new MlpTrainer(config, e -> {}).checkpointing(memory).train(x, y, 3).close())
        .hasMessageContaining("taken back");
    memory.stopAfter = Integer.MAX_VALUE;
    try (TrainedMlp resumed = new MlpTrainer(config, e -> {}).checkpointing(memory).train(x, y, 3);
        TrainedMlp whole = new MlpTrainer(config, e -> {}).train(x, y, 3)) {
      assertThat(resumed.history()).hasSize(5);
      assertSameEpochs(resumed.history(), whole.history());
      assertClose(resumed.predict(x), whole.predict(x));
    }
  }

  /**
   * The picture trainer resumes from its checkpoint too; this tiny network does not train
   * reproducibly run to run on the CPU (two runs with one seed differ from the first epoch, with
   * DJL's own Adam as with this one), so what is checked is that the finished epochs come back as
   * they were and the rest run on.
   */
  @Test
  void cnn_should_resumeAfterItsLastFinishedEpoch() {
    Random random = new Random(2);
    Shape shape = new Shape(1, 12, 12);
    float[][] x = new float[60][144];
    int[] y = new int[60];
    for (int i = 0; i < x.length; i++) {
      y[i] = i % 2;
      for (int p = 0; p < 144; p++) {
        x[i][p] = (float) random.nextDouble() + (y[i] == 1 && p < 72 ? 1 : 0);
      }
    }
    // shifted by up to a pixel each epoch: the shifts draw from the checkpointed random state
    CnnTrainer.Config config = new CnnTrainer.Config(2, 8, 4, 8, 0.01, 3, 1);
    Memory memory = new Memory();
    memory.stopAfter = 2;
    assertThatThrownBy(() -> cnn(config).checkpointing(memory).train(x, y, shape, 2).close())
        .hasMessageContaining("taken back");
    List<EpochStats> finished = Checkpoint.decode(memory.last).history();
    memory.stopAfter = Integer.MAX_VALUE;
    try (TrainedCnn resumed = cnn(config).checkpointing(memory).train(x, y, shape, 2)) {
      assertThat(resumed.history()).hasSize(4);
      assertThat(resumed.history().subList(0, 2)).isEqualTo(finished);
      assertThat(resumed.history().get(2).epoch()).isEqualTo(3);
      assertThat(Checkpoint.decode(memory.last).epoch()).isEqualTo(4);
    }
  }

  @Test
  void alteredCheckpoint_should_beRefused() {
    Random random = new Random(5);
    float[][] x = new float[30][2];
    int[] y = new int[30];
    for (int i = 0; i < x.length; i++) {
      y[i] = i % 2;
      x[i][0] = (float) random.nextGaussian() + y[i];
      x[i][1] = (float) random.nextGaussian();
    }
    Memory memory = new Memory();
    new MlpTrainer(new MlpTrainer.Config(4, 1, 8, 0.01, 1), e -> {})
        .checkpointing(memory)
        .train(x, y, 2)
        .close();
    byte[] cut = java.util.Arrays.copyOf(memory.last, memory.last.length / 2);
    assertThatThrownBy(() -> Checkpoint.decode(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the checkpoint cannot be read");
    byte[] garbage = "not a checkpoint at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Checkpoint.decode(garbage))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CnnTrainer cnn(CnnTrainer.Config config) {
    return new CnnTrainer(
        config,
        new Device[] {Device.cpu()},
        new TrainingProgress(
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false, 4));
  }

  private static void assertSameEpochs(List<EpochStats> resumed, List<EpochStats> whole) {
    assertThat(resumed).hasSameSizeAs(whole);
    for (int i = 0; i < whole.size(); i++) {
      assertThat(resumed.get(i).loss()).as("epoch %d loss", i + 1).isEqualTo(whole.get(i).loss());
      assertThat(resumed.get(i).accuracy()).isEqualTo(whole.get(i).accuracy());
    }
  }

  private static void assertClose(float[][] resumed, float[][] whole) {
    assertThat(resumed.length).isEqualTo(whole.length);
    for (int r = 0; r < whole.length; r++) {
      for (int c = 0; c < whole[r].length; c++) {
        assertThat((double) Math.abs(resumed[r][c] - whole[r][c]))
            .as("row %d class %d", r, c)
            .isLessThanOrEqualTo(1e-6);
      }
    }
  }
}
