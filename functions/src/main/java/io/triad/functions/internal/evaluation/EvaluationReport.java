package io.triad.functions.internal.evaluation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What evaluating one model version on one labelled object found; written as JSON and rendered by
 * {@link ReportHtml}.
 *
 * @param dataKey the key of the evaluated object
 * @param rows the rows evaluated; equal to {@code metrics.rows()}
 * @param notes free-text remarks (skipped rows, warnings); empty when there are none
 * @param worstMisclassified for image models, the most confident mistakes with thumbnails
 * @param unseen how many rows the evaluated version trained on, and the metrics on the others; null
 *     when the version kept no record of its training rows
 */
public record EvaluationReport(
    String model,
    String version,
    String dataKey,
    Instant created,
    long rows,
    EvaluationMetrics metrics,
    List<String> notes,
    List<Misclassified> worstMisclassified,
    Unseen unseen,
    Comparison comparison) {

  /**
   * The rows a version never trained on.
   *
   * @param seenRows rows of the data that were in the version's training data
   * @param rows the other rows
   * @param metrics the headline metrics on those rows alone; null when there are none
   */
  public record Unseen(long seenRows, long rows, Map<String, Double> metrics) {}

  /**
   * Candidate and served version scored on the same rows.
   *
   * @param classes per class, for classifiers; empty otherwise
   */
  public record Comparison(
      String servedVersion,
      Map<String, Double> candidate,
      Map<String, Double> served,
      List<ClassDelta> classes) {
    public Comparison {
      classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** Both versions' scores side by side; empty per-class list unless both are classifiers. */
    public static Comparison of(
        String servedVersion, EvaluationMetrics candidate, EvaluationMetrics served) {
      List<ClassDelta> classes = new java.util.ArrayList<>();
      if (candidate instanceof ClassificationResult c && served instanceof ClassificationResult s) {
        for (ClassificationResult.ClassMetrics mine : c.classes()) {
          s.classes().stream()
              .filter(theirs -> theirs.label().equals(mine.label()))
              .findFirst()
              .ifPresent(
                  theirs ->
                      classes.add(
                          new ClassDelta(
                              mine.label(),
                              mine.support(),
                              mine.f1(),
                              theirs.f1(),
                              mine.recall(),
                              theirs.recall())));
        }
      }
      return new Comparison(servedVersion, candidate.headline(), served.headline(), classes);
    }
  }

  /** One class's F1 and recall for candidate and served version. */
  public record ClassDelta(
      String label,
      long support,
      double candidateF1,
      double servedF1,
      double candidateRecall,
      double servedRecall) {}

  public EvaluationReport {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(metrics, "metrics");
    if (rows != metrics.rows()) {
      throw new IllegalArgumentException(
          "rows " + rows + " differ from the metrics' rows " + metrics.rows());
    }
    notes = notes == null ? List.of() : List.copyOf(notes);
    worstMisclassified = worstMisclassified == null ? List.of() : List.copyOf(worstMisclassified);
  }

  public EvaluationReport(
      String model,
      String version,
      String dataKey,
      Instant created,
      long rows,
      EvaluationMetrics metrics,
      List<String> notes) {
    this(model, version, dataKey, created, rows, metrics, notes, List.of(), null);
  }

  public EvaluationReport(
      String model,
      String version,
      String dataKey,
      Instant created,
      long rows,
      EvaluationMetrics metrics,
      List<String> notes,
      List<Misclassified> worstMisclassified) {
    this(model, version, dataKey, created, rows, metrics, notes, worstMisclassified, null, null);
  }

  public EvaluationReport(
      String model,
      String version,
      String dataKey,
      Instant created,
      long rows,
      EvaluationMetrics metrics,
      List<String> notes,
      List<Misclassified> worstMisclassified,
      Unseen unseen) {
    this(model, version, dataKey, created, rows, metrics, notes, worstMisclassified, unseen, null);
  }

  /** A report whose row count is taken from {@code metrics}. */
  public static EvaluationReport of(
      String model,
      String version,
      String dataKey,
      Instant created,
      EvaluationMetrics metrics,
      List<String> notes) {
    return new EvaluationReport(model, version, dataKey, created, metrics.rows(), metrics, notes);
  }

  /** A report with the worst mistakes of an image evaluation. */
  public static EvaluationReport of(
      String model,
      String version,
      String dataKey,
      Instant created,
      EvaluationMetrics metrics,
      List<String> notes,
      List<Misclassified> worst) {
    return new EvaluationReport(
        model, version, dataKey, created, metrics.rows(), metrics, notes, worst);
  }

  /** The same report with {@code notes} instead of its own. */
  public EvaluationReport withNotes(List<String> newNotes) {
    return new EvaluationReport(
        model,
        version,
        dataKey,
        created,
        rows,
        metrics,
        newNotes,
        worstMisclassified,
        unseen,
        comparison);
  }

  /** The same report with the served version beside it. */
  public EvaluationReport withComparison(Comparison newComparison) {
    return new EvaluationReport(
        model,
        version,
        dataKey,
        created,
        rows,
        metrics,
        notes,
        worstMisclassified,
        unseen,
        newComparison);
  }

  /** The flat metrics a promotion gate compares; see {@link EvaluationMetrics#headline()}. */
  public Map<String, Double> headline() {
    return metrics.headline();
  }
}
