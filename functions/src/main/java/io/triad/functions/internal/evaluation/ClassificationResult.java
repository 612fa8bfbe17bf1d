package io.triad.functions.internal.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Classification metrics over {@code rows} rows. Averages are over all classes, as scikit-learn's
 * {@code average="macro"}; {@code macroRocAuc} averages only the classes whose AUC is defined and
 * is null when none is.
 *
 * @param confusionMatrix counts, rows = true class, columns = predicted class, in label order
 * @param logLoss mean negative log of the true class's probability, clipped to [1e-15, 1 - 1e-15]
 * @param calibration ten bins of scores pooled one-vs-rest over classes, for a reliability diagram;
 *     empty bins left out
 */
public record ClassificationResult(
    long rows,
    double accuracy,
    List<ClassMetrics> classes,
    double macroPrecision,
    double macroRecall,
    double macroF1,
    double weightedF1,
    List<List<Long>> confusionMatrix,
    double logLoss,
    Double macroRocAuc,
    List<CalibrationBin> calibration)
    implements EvaluationMetrics {

  public ClassificationResult {
    classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
    confusionMatrix =
        Objects.requireNonNull(confusionMatrix, "confusionMatrix").stream()
            .map(List::copyOf)
            .toList();
    macroRocAuc = EvaluationMetrics.finiteOrNull(macroRocAuc);
    calibration = calibration == null ? List.of() : List.copyOf(calibration);
  }

  /**
   * Expected calibration error: the count-weighted mean gap between mean score and observed share
   * over {@link #calibration}'s bins; null when there are none.
   */
  public Double expectedCalibrationError() {
    long total = calibration.stream().mapToLong(CalibrationBin::count).sum();
    if (total == 0) {
      return null;
    }
    return calibration.stream()
            .mapToDouble(b -> b.count() * Math.abs(b.observed() - b.meanScore()))
            .sum()
        / total;
  }

  /**
   * Metrics of one class, one-vs-rest.
   *
   * @param support rows whose true class is this one
   * @param rocAuc null when the class has no positive or no negative rows
   * @param roc at most {@link ClassificationMetrics#MAX_ROC_POINTS} points from (0, 0) to (1, 1);
   *     empty when {@code rocAuc} is null
   */
  public record ClassMetrics(
      String label,
      double precision,
      double recall,
      double f1,
      long support,
      Double rocAuc,
      List<RocPoint> roc) {
    public ClassMetrics {
      rocAuc = EvaluationMetrics.finiteOrNull(rocAuc);
      roc = roc == null ? List.of() : List.copyOf(roc);
    }
  }

  /**
   * Derives the macro and weighted averages from the per-class metrics. A class with no rows in the
   * data (support 0) is left out of the macro averages: its recall and F1 are not zero but unknown,
   * and counting them as zero would drag the average down for a class nobody asked about.
   */
  static ClassificationResult of(
      long rows,
      double accuracy,
      List<ClassMetrics> classes,
      List<List<Long>> confusionMatrix,
      double logLoss,
      List<CalibrationBin> calibration) {
    List<ClassMetrics> present = classes.stream().filter(c -> c.support() > 0).toList();
    double macroPrecision =
        present.stream().mapToDouble(ClassMetrics::precision).average().orElse(0);
    double macroRecall = present.stream().mapToDouble(ClassMetrics::recall).average().orElse(0);
    double macroF1 = present.stream().mapToDouble(ClassMetrics::f1).average().orElse(0);
    double weightedF1 = classes.stream().mapToDouble(c -> c.f1() * c.support()).sum() / rows;
    OptionalDouble meanAuc =
        classes.stream()
            .map(ClassMetrics::rocAuc)
            .filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue)
            .average();
    Double macroRocAuc = meanAuc.isPresent() ? meanAuc.getAsDouble() : null;
    return new ClassificationResult(
        rows,
        accuracy,
        classes,
        macroPrecision,
        macroRecall,
        macroF1,
        weightedF1,
        confusionMatrix,
        logLoss,
        macroRocAuc,
        calibration);
  }

  public List<String> labels() {
    return classes.stream().map(ClassMetrics::label).toList();
  }

  /** The classes with no rows in the evaluated data, left out of the macro averages. */
  public List<String> absentClasses() {
    return classes.stream().filter(c -> c.support() == 0).map(ClassMetrics::label).toList();
  }

  @Override
  public Map<String, Double> headline() {
    Map<String, Double> headline = new LinkedHashMap<>();
    headline.put("accuracy", accuracy);
    headline.put("macro_f1", macroF1);
    headline.put("log_loss", logLoss);
    if (macroRocAuc != null) {
      headline.put("roc_auc", macroRocAuc);
    }
    return Collections.unmodifiableMap(headline);
  }
}
