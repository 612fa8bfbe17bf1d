package io.triad.functions.internal.evaluation;

/** One point of a ROC curve: false-positive rate and true-positive rate at some threshold. */
public record RocPoint(double fpr, double tpr) {}
