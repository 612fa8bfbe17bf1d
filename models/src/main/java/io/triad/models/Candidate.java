package io.triad.models;

import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.TrainingRows;
import java.nio.file.Path;

/**
 * Everything a training run hands to the store, before any of it is written.
 *
 * @param holdoutCsv the held-out rows as CSV, a file in the training run's folder
 * @param trainingRows the fingerprints of the rows it trained on, kept with its lineage
 */
public record Candidate(
    byte[] model,
    Path holdoutCsv,
    TrainingRows trainingRows,
    TrainingReport report,
    ModelManifest manifest) {}
