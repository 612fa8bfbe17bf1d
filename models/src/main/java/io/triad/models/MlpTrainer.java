package io.triad.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a two-hidden-layer MLP classifier (Linear-ReLU-Linear-ReLU-Linear, softmax cross-entropy,
 * Adam) with DJL on the PyTorch engine, on the devices given ({@link TrainingDevices}; data
 * parallel over several). Weight initialization is seeded through the engine and batches are
 * shuffled with a seeded {@link Random}, so equal inputs train equal models on one device.
 */
public final class MlpTrainer {
  public static final String ENGINE = "PyTorch";

  /** What the network and the optimizer are. */
  public record Config(int hidden, int epochs, int batchSize, double learningRate, int seed) {}

  private final Config config;
  private final Device[] devices;
  private final Device[] parts;
  private final Consumer<EpochStats> progress;
  private RunState.Checkpoints checkpoints = RunState.Checkpoints.NONE;

  /** Checkpoints every epoch to {@code checkpoints}, and resumes from its last one. */
  MlpTrainer checkpointing(RunState.Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
    return this;
  }

  /** On the CPU. */
  public MlpTrainer(Config config, Consumer<EpochStats> progress) {
    this(config, new Device[] {Device.cpu()}, progress);
  }

  public MlpTrainer(Config config, Device[] devices, Consumer<EpochStats> progress) {
    this(config, devices, devices, progress);
  }

  /** Training on {@code devices}, each batch split over {@code parts} ({@link BatchStep}). */
  MlpTrainer(Config config, Device[] devices, Device[] parts, Consumer<EpochStats> progress) {
    this.config = config;
    this.devices = devices.clone();
    this.parts = parts.clone();
    this.progress = progress;
  }

  /**
   * Trains on standardized {@code x} with class indices {@code y}; the caller closes the result.
   */
  public TrainedMlp train(float[][] x, int[] y, int classes) {
    return train(x, y, classes, null, null);
  }

  /**
   * As above, and after each epoch the loss and accuracy on {@code heldOutX} (standardized like
   * {@code x}) go into the epoch's figures.
   */
  public TrainedMlp train(float[][] x, int[] y, int classes, float[][] heldOutX, int[] heldOutY) {
    return train(TrainingBatches.of(x, y), classes, heldOutX, heldOutY);
  }

  /**
   * Trains on the standardized rows {@code batches} hands out, an epoch at a time; after each epoch
   * the loss and accuracy on {@code heldOutX} (standardized, may be null) go into its figures.
   */
  TrainedMlp train(TrainingBatches batches, int classes, float[][] heldOutX, int[] heldOutY) {
    int width = batches.width();
    Engine engine = Engine.getEngine(ENGINE);
    engine.setRandomSeed(config.seed());
    Model model = Model.newInstance("mlp", devices[0], ENGINE);
    try {
      model.setBlock(network(config.hidden(), classes));
      ResumableAdam adam = new ResumableAdam((float) config.learningRate());
      DefaultTrainingConfig training =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optDevices(devices)
              .optOptimizer(adam);
      Trainer trainer = model.newTrainer(training);
      trainer.initialize(new Shape(config.batchSize(), width));
      RunState state = new RunState(model.getBlock(), adam, checkpoints);
      TrainedMlp trained =
          new TrainedMlp(
              model,
              trainer,
              config.epochs(),
              () -> network(config.hidden(), classes),
              new Shape(1, width));
      RunState.Resumed resumed =
          state.resume(
              new Random(config.seed()),
              stats -> {
                trained.record(stats);
                progress.accept(stats);
              });
      Random shuffle = resumed.shuffle();
      for (int epoch = resumed.firstEpoch(); epoch <= config.epochs(); epoch++) {
        EpochStats stats =
            epoch(trainer, batches, epoch, shuffle)
                .withHeldOut(EpochStats.heldOut(trainer, heldOutX, heldOutY, new Shape(width)));
        trained.record(stats);
        progress.accept(stats);
        state.save(epoch, shuffle, trained.history());
      }
      return trained;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Linear-ReLU-Linear-ReLU-Linear, uninitialized. */
  static SequentialBlock network(int hidden, int classes) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private EpochStats epoch(Trainer trainer, TrainingBatches batches, int epoch, Random shuffle) {
    long start = System.nanoTime();
    Shape row = new Shape(batches.width());
    double[] lossSum = {0};
    long[] correct = {0};
    long[] rows = {0};
    batches.epoch(
        config.batchSize(),
        shuffle,
        (features, labels) -> {
          try (NDManager batch = trainer.getManager().newSubManager()) {
            BatchStep.Result step = BatchStep.run(trainer, batch, features, row, labels, parts);
            lossSum[0] += step.lossSum();
            correct[0] += step.correct();
            rows[0] += labels.length;
          }
        });
    return new EpochStats(
        epoch,
        lossSum[0] / rows[0],
        (double) correct[0] / rows[0],
        (System.nanoTime() - start) / 1_000_000,
        null,
        null,
        (int) Math.min(Integer.MAX_VALUE, rows[0]));
  }

  static int[] permutation(int n, Random random) {
    return TrainingBatches.permutation(n, random);
  }

  static long[] batchLabels(int[] y, int[] order, int from, int to) {
    long[] labels = new long[to - from];
    for (int i = from; i < to; i++) {
      labels[i - from] = y[order[i]];
    }
    return labels;
  }
}
