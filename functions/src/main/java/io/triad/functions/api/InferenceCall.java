package io.triad.functions.api;

/**
 * The input of {@code predict}: which model (and optionally which version) and the OIP request. The
 * HTTP path carries the model on the wire; in process it travels with the request.
 */
public record InferenceCall(String model, String version, InferenceRequest request) {}
