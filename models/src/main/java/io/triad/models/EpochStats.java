package io.triad.models;

/**
 * One training epoch: mean cross-entropy over the epoch's batches and accuracy on the rows seen.
 */
public record EpochStats(int epoch, double loss, double accuracy, long millis) {}
