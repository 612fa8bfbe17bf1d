package io.triad.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a small CNN classifier with DJL on PyTorch (CPU): two blocks of 3x3 convolution, ReLU and
 * 2x2 max pooling, then a dense ReLU layer and the class layer; softmax cross-entropy, Adam. Seeded
 * like {@link MlpTrainer}: equal inputs train equal models.
 */
public final class CnnTrainer {
  /**
   * @param filters the first convolution's filters; the second has twice as many
   * @param hidden the dense layer's units
   * @param shift each training picture is moved by up to this many pixels in each direction, drawn
   *     anew every epoch from the seeded generator; the border is filled with the picture's
   *     top-left value (its background)
   */
  public record Config(
      int filters,
      int hidden,
      int epochs,
      int batchSize,
      double learningRate,
      int seed,
      int shift) {}

  private final Config config;
  private final Device[] devices;
  private final TrainingProgress progress;
  private RunState.Checkpoints checkpoints = RunState.Checkpoints.NONE;

  /** On the CPU. */
  public CnnTrainer(Config config, TrainingProgress progress) {
    this(config, new Device[] {Device.cpu()}, progress);
  }

  public CnnTrainer(Config config, Device[] devices, TrainingProgress progress) {
    this.config = config;
    this.devices = devices.clone();
    this.progress = progress;
  }

  /** Checkpoints every epoch to {@code checkpoints}, and resumes from its last one. */
  CnnTrainer checkpointing(RunState.Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
    return this;
  }

  /** Trains on {@code x} (rows of {@code shape} = [C, H, W]) with class indices {@code y}. */
  public TrainedCnn train(float[][] x, int[] y, Shape shape, int classes) {
    return train(x, y, shape, classes, null, null);
  }

  /** As above, with the held-out pictures' loss and accuracy after each epoch. */
  public TrainedCnn train(
      float[][] x, int[] y, Shape shape, int classes, float[][] heldOutX, int[] heldOutY) {
    return train(TrainingBatches.of(x, y), shape, classes, heldOutX, heldOutY);
  }

  /** Trains on the pictures {@code batches} hands out, with the held-out figures each epoch. */
  TrainedCnn train(
      TrainingBatches batches, Shape shape, int classes, float[][] heldOutX, int[] heldOutY) {
    Engine.getEngine(MlpTrainer.ENGINE).setRandomSeed(config.seed());
    Model model = Model.newInstance("cnn", devices[0], MlpTrainer.ENGINE);
    try {
      Network network = network(config, classes);
      model.setBlock(network.block());
      ResumableAdam adam = new ResumableAdam((float) config.learningRate());
      DefaultTrainingConfig training =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optDevices(devices)
              .optOptimizer(adam);
      Trainer trainer = model.newTrainer(training);
      trainer.initialize(new Shape(config.batchSize()).addAll(shape));
      RunState state = new RunState(model.getBlock(), adam, checkpoints);
      TrainedCnn trained =
          new TrainedCnn(
              model, trainer, shape, network.layers(), () -> network(config, classes).block());
      RunState.Resumed resumed =
          state.resume(
              new Random(config.seed()),
              stats -> {
                trained.record(stats);
                progress.epoch(stats);
              });
      Random shuffle = resumed.shuffle();
      for (int epoch = resumed.firstEpoch(); epoch <= config.epochs(); epoch++) {
        EpochStats stats =
            epoch(trainer, batches, shape, epoch, shuffle)
                .withHeldOut(EpochStats.heldOut(trainer, heldOutX, heldOutY, shape));
        trained.record(stats);
        progress.epoch(stats);
        state.save(epoch, shuffle, trained.history());
      }
      return trained;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The network, uninitialized, and its layers in order for the export. */
  record Network(SequentialBlock block, List<CnnLayer> layers) {}

  /** Two 3x3 convolutions (ReLU, 2x2 max pool), a hidden dense layer, the classes. */
  static Network network(Config config, int classes) {
    List<CnnLayer> layers = new ArrayList<>();
    SequentialBlock block = new SequentialBlock();
    for (int filters : new int[] {config.filters(), 2 * config.filters()}) {
      Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters).build();
      block
          .add(conv)
          .add(Activation.reluBlock())
          .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
      layers.addAll(
          List.of(new CnnLayer.Conv(conv, 3), new CnnLayer.Relu(), new CnnLayer.MaxPool(2)));
    }
    Linear hidden = Linear.builder().setUnits(config.hidden()).build();
    Linear output = Linear.builder().setUnits(classes).build();
    block.add(Blocks.batchFlattenBlock()).add(hidden).add(Activation.reluBlock()).add(output);
    layers.addAll(
        List.of(
            new CnnLayer.Flatten(),
            new CnnLayer.Dense(hidden),
            new CnnLayer.Relu(),
            new CnnLayer.Dense(output)));
    return new Network(block, List.copyOf(layers));
  }

  /**
   * Moves each picture in {@code pixels} (NCHW, {@code shape} = [C, H, W]) by a random offset of at
   * most {@code max} pixels along each axis, in place.
   */
  static void shift(float[] pixels, Shape shape, int max, Random random) {
    int channels = (int) shape.get(0);
    int height = (int) shape.get(1);
    int width = (int) shape.get(2);
    int plane = height * width;
    int size = channels * plane;
    float[] copy = new float[size];
    for (int start = 0; start < pixels.length; start += size) {
      int dy = random.nextInt(2 * max + 1) - max;
      int dx = random.nextInt(2 * max + 1) - max;
      if (dx == 0 && dy == 0) {
        continue;
      }
      System.arraycopy(pixels, start, copy, 0, size);
      for (int c = 0; c < channels; c++) {
        float background = copy[c * plane];
        for (int row = 0; row < height; row++) {
          int from = row - dy;
          for (int col = 0; col < width; col++) {
            int fromCol = col - dx;
            pixels[start + c * plane + row * width + col] =
                from < 0 || from >= height || fromCol < 0 || fromCol >= width
                    ? background
                    : copy[c * plane + from * width + fromCol];
          }
        }
      }
    }
  }

  private EpochStats epoch(
      Trainer trainer, TrainingBatches batches, Shape shape, int epoch, Random shuffle) {
    long start = System.nanoTime();
    long steps = (batches.rows() + config.batchSize() - 1) / config.batchSize();
    double[] lossSum = {0};
    long[] correct = {0};
    long[] rows = {0};
    int[] step = {0};
    batches.epoch(
        config.batchSize(),
        shuffle,
        (pixels, labels) -> {
          try (NDManager batch = trainer.getManager().newSubManager()) {
            if (config.shift() > 0) {
              shift(pixels, shape, config.shift(), shuffle);
            }
            BatchStep.Result result = BatchStep.run(trainer, batch, pixels, shape, labels);
            lossSum[0] += result.lossSum();
            correct[0] += result.correct();
            rows[0] += labels.length;
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.step(
                epoch,
                ++step[0],
                (int) Math.min(Integer.MAX_VALUE, steps),
                result.lossSum() / labels.length,
                rows[0] / Math.max(seconds, 1e-9));
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
}
