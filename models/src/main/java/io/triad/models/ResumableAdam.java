package io.triad.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam whose state can be taken out and put back, so a trainer stopped between epochs resumes where
 * it was: the same update as DJL 0.35's {@code Adam} (the engine's fused {@code adamUpdate},
 * bias-corrected rate, beta1 0.9, beta2 0.999, epsilon 1e-8, a fixed learning rate) with its moving
 * means and variances per parameter and device, and its update counts, kept here in the open.
 */
final class ResumableAdam extends Optimizer {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final float learningRate;
  private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private int steps;
  private volatile Map<String, String> names = Map.of();

  ResumableAdam(float learningRate) {
    super(new Builder());
    this.learningRate = learningRate;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int t = count(parameterId);
    double coef1 = 1.0 - Math.pow(BETA1, t);
    double coef2 = 1.0 - Math.pow(BETA2, t);
    float lr = (float) (learningRate * Math.sqrt(coef2) / coef1);
    NDList inputs =
        new NDList(
            weight,
            grad,
            withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
            withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
    weight
        .getNDArrayInternal()
        .adamUpdate(
            inputs,
            new NDList(weight),
            learningRate,
            lr,
            getWeightDecay(),
            rescaleGrad,
            clipGrad,
            BETA1,
            BETA2,
            EPSILON,
            true,
            false);
  }

  /** As DJL's update count: per parameter, and the step is the most any parameter has taken. */
  private synchronized int count(String parameterId) {
    int count = counts.merge(parameterId, 1, Integer::sum);
    steps = Math.max(steps, count);
    return steps;
  }

  /**
   * The network's parameter names by their ids: DJL draws a parameter's id afresh in each run, so
   * the state is kept by name.
   */
  void names(Map<String, String> byId) {
    this.names = Map.copyOf(byId);
  }

  private String name(String id) {
    String name = names.get(id);
    if (name == null) {
      throw new IllegalStateException("parameter " + id + " has no name");
    }
    return name;
  }

  private String id(String name) {
    for (var entry : names.entrySet()) {
      if (entry.getValue().equals(name)) {
        return entry.getKey();
      }
    }
    throw new IllegalStateException(
        "the checkpoint's optimizer state names parameter "
            + name
            + ", which the network does not have");
  }

  /** The state: the update counts, and per parameter and device its mean and variance. */
  synchronized State state() {
    Map<String, Map<String, float[][]>> moments = new LinkedHashMap<>();
    Map<String, Integer> named = new LinkedHashMap<>();
    counts.forEach((id, count) -> named.put(name(id), count));
    for (var entry : means.entrySet()) {
      Map<String, float[][]> byDevice = new LinkedHashMap<>();
      for (var device : entry.getValue().entrySet()) {
        byDevice.put(
            device.getKey().getDeviceType() + ":" + device.getKey().getDeviceId(),
            new float[][] {
              device.getValue().toFloatArray(),
              variances.get(entry.getKey()).get(device.getKey()).toFloatArray()
            });
      }
      moments.put(name(entry.getKey()), byDevice);
    }
    return new State(steps, named, moments);
  }

  /**
   * Puts a state back, each moment shaped like its parameter in {@code parameters} (by name) and
   * placed on the device it was taken from.
   */
  synchronized void restore(State state, Map<String, NDArray> parameters) {
    steps = state.steps();
    counts.clear();
    state.counts().forEach((name, count) -> counts.put(id(name), count));
    means.clear();
    variances.clear();
    for (var entry : state.moments().entrySet()) {
      String id = id(entry.getKey());
      NDArray like = parameters.get(entry.getKey());
      Map<Device, NDArray> mean = new ConcurrentHashMap<>();
      Map<Device, NDArray> variance = new ConcurrentHashMap<>();
      for (var device : entry.getValue().entrySet()) {
        String[] name = device.getKey().split(":", 2);
        Device on = Device.of(name[0], Integer.parseInt(name[1]));
        mean.put(on, filled(like, device.getValue()[0], on));
        variance.put(on, filled(like, device.getValue()[1], on));
      }
      means.put(id, mean);
      variances.put(id, variance);
    }
  }

  private static NDArray filled(NDArray like, float[] values, Device device) {
    if (values.length != like.size()) {
      throw new IllegalStateException("the checkpoint's optimizer state does not fit the network");
    }
    NDArray array = like.getManager().create(values, like.getShape());
    return device.equals(array.getDevice()) ? array : array.toDevice(device, false);
  }

  /** What {@link #state} takes: per parameter, per device name, its mean and its variance. */
  record State(
      int steps, Map<String, Integer> counts, Map<String, Map<String, float[][]>> moments) {}

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
