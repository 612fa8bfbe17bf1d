package io.triad.functions.internal.evaluation;

/**
 * One wrongly classified example, for the report: a picture's thumbnail, or a table row's inputs.
 *
 * @param source the row or object it came from
 * @param probability what the model gave the class it predicted
 * @param actualProbability what the model gave the true class (the lower, the worse the miss)
 * @param thumbnail a small PNG as a {@code data:image/png;base64,} URI; null for a table row
 * @param inputs a table row's features as {@code name=value}, clipped; null for a picture
 */
public record Misclassified(
    String source,
    String actual,
    String predicted,
    double probability,
    double actualProbability,
    String thumbnail,
    String inputs) {}
