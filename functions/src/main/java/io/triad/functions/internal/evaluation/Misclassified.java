package io.triad.functions.internal.evaluation;

/**
 * One wrongly classified example of an image evaluation, for the report's gallery.
 *
 * @param source the row or object it came from
 * @param actualProbability what the model gave the true class (the lower, the worse the miss)
 * @param thumbnail a small PNG as a {@code data:image/png;base64,} URI
 */
public record Misclassified(
    String source,
    String actual,
    String predicted,
    double probability,
    double actualProbability,
    String thumbnail) {}
