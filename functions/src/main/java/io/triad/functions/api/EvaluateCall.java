package io.triad.functions.api;

/**
 * The input of {@code evaluate}: a model (version null = production) and a labelled data object.
 */
public record EvaluateCall(String model, String version, String dataKey) {}
