package io.triad.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What a run's checkpoint is taken from and put back into, for either trainer: the network's
 * parameters by name, the optimizer, the shuffle's random state and the epochs' figures.
 */
final class RunState {
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final ResumableAdam optimizer;
  private final Checkpoints checkpoints;

  /** Where a run keeps its checkpoints: its last one, if it is this run's, and each new one. */
  interface Checkpoints {
    Checkpoints NONE =
        new Checkpoints() {
          @Override
          public String fingerprint() {
            return "";
          }

          @Override
          public Optional<Checkpoint> latest() {
            return Optional.empty();
          }

          @Override
          public void save(Checkpoint checkpoint) {}
        };

    String fingerprint();

    Optional<Checkpoint> latest();

    void save(Checkpoint checkpoint);
  }

  /** Over {@code block}, initialized, trained by {@code optimizer}. */
  RunState(Block block, ResumableAdam optimizer, Checkpoints checkpoints) {
    this.optimizer = optimizer;
    this.checkpoints = checkpoints;
    Map<String, String> names = new LinkedHashMap<>();
    for (var pair : block.getParameters()) {
      parameters.put(pair.getKey(), pair.getValue());
      names.put(pair.getValue().getId(), pair.getKey());
    }
    optimizer.names(names);
  }

  /**
   * Puts the run's last checkpoint back, if there is one: parameters, optimizer, and each finished
   * epoch's figures handed to {@code replay}.
   *
   * @return the checkpoint's shuffle state and the first epoch still to run; the fresh {@code
   *     shuffle} and epoch 1 when there is none
   */
  Resumed resume(Random shuffle, Consumer<EpochStats> replay) {
    Optional<Checkpoint> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      return new Resumed(shuffle, 1);
    }
    Checkpoint from = latest.get();
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (var entry : parameters.entrySet()) {
      float[] values = from.parameters().get(entry.getKey());
      NDArray array = entry.getValue().getArray();
      if (values == null || values.length != array.size()) {
        throw new IllegalStateException(
            "the checkpoint does not fit the network at " + entry.getKey());
      }
      array.set(values);
      arrays.put(entry.getKey(), array);
    }
    optimizer.restore(from.optimizer(), arrays);
    from.history().forEach(replay);
    return new Resumed(from.shuffle(), from.epoch() + 1);
  }

  /** After {@code epoch}: the run as it stands now. */
  void save(int epoch, Random shuffle, List<EpochStats> history) {
    if (checkpoints == Checkpoints.NONE) {
      return;
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    parameters.forEach((name, parameter) -> values.put(name, parameter.getArray().toFloatArray()));
    checkpoints.save(
        new Checkpoint(
            checkpoints.fingerprint(), epoch, values, optimizer.state(), shuffle, history));
  }

  /** Where a run goes on from. */
  record Resumed(Random shuffle, int firstEpoch) {}
}
