package io.triad.models;

import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.TrainingRows;

/**
 * Everything a training run hands to the store, before any of it is written.
 *
 * @param trainingRows the fingerprints of the rows it trained on, kept with its lineage
 */
public record Candidate(
    byte[] model,
    String holdoutCsv,
    TrainingRows trainingRows,
    TrainingReport report,
    ModelManifest manifest) {}
