package io.triad.models;

import java.util.List;
import java.util.Map;

/**
 * {@code training.json} beside a candidate: how it was trained, epoch by epoch, and how long each
 * step took.
 *
 * @param devices what it trained on ({@code cpu}, {@code gpu:0}, …), the batch split across them
 * @param maxAbsDiff the largest |ONNX Runtime - DJL| probability difference over the holdout rows
 * @param millis wall time of each step (load, train, export, verify, total)
 * @param placement where the job was submitted and which targets refused it first, or null when its
 *     launcher placed it as configured
 */
public record TrainingReport(
    String model,
    String version,
    String data,
    String target,
    String trainer,
    List<String> devices,
    int trainRows,
    int holdoutRows,
    Map<String, Object> parameters,
    List<EpochStats> epochs,
    Map<String, Double> holdout,
    double maxAbsDiff,
    Map<String, Long> millis,
    Map<String, Object> placement) {

  /** The training rows each device took a second, over every epoch. */
  @com.fasterxml.jackson.annotation.JsonProperty("examplesPerSecondPerDevice")
  public double examplesPerSecondPerDevice() {
    long examples = epochs.stream().mapToLong(EpochStats::examples).sum();
    long millis = epochs.stream().mapToLong(EpochStats::millis).sum();
    return millis <= 0 || devices.isEmpty() ? 0 : examples * 1000.0 / millis / devices.size();
  }
}
