package io.triad.models;

import io.triad.functions.model.ModelManifest;

/** Everything a training run hands to the store, before any of it is written. */
public record Candidate(
    byte[] model, String holdoutCsv, TrainingReport report, ModelManifest manifest) {}
