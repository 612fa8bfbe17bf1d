package io.triad.functions.internal.evaluation;

/**
 * One bin of a reliability diagram, pooled over classes one-vs-rest: of the {@code count} scores a
 * model gave in {@code [from, to)}, the mean score and the share that belonged to the class.
 */
public record CalibrationBin(
    double from, double to, double meanScore, double observed, long count) {}
