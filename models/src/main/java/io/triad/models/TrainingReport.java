package io.triad.models;

import java.util.List;
import java.util.Map;

/**
 * {@code training.json} beside a candidate: how it was trained, epoch by epoch, and how long each
 * step took.
 *
 * @param maxAbsDiff the largest |ONNX Runtime - DJL| probability difference over the holdout rows
 * @param millis wall time of each step (load, train, export, verify, total)
 */
public record TrainingReport(
    String model,
    String version,
    String data,
    String target,
    String trainer,
    int trainRows,
    int holdoutRows,
    Map<String, Object> parameters,
    List<EpochStats> epochs,
    Map<String, Double> holdout,
    double maxAbsDiff,
    Map<String, Long> millis) {}
