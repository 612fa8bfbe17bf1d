package io.triad.functions.training;

/** A submitted training job: the candidate it will write and the launcher's id for it. */
public record LaunchedTraining(String model, String version, String jobId, String candidatePrefix) {}
