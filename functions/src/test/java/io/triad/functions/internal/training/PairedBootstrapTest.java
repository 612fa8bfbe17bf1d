package io.triad.functions.internal.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.triad.functions.internal.evaluation.ClassificationMetrics;
import io.triad.functions.internal.evaluation.ClassificationResult;
import io.triad.functions.internal.evaluation.RowOutcomes;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
  private static final List<String> LABELS = List.of("a", "b", "c");

  /** Three classes, {@code n} rows; each row right with probability {@code skill}. */
  private static RowOutcomes classifier(int n, double skill, double confidence, long seed) {
    Random random = new Random(seed);
    Random truth = new Random(1);
    RowOutcomes outcomes = new RowOutcomes();
    for (int i = 0; i < n; i++) {
      int actual = truth.nextInt(3);
      int guess = random.nextDouble() < skill ? actual : (actual + 1 + random.nextInt(2)) % 3;
      float[] p = new float[3];
      for (int c = 0; c < 3; c++) {
        p[c] = c == guess ? (float) confidence : (float) ((1 - confidence) / 2);
      }
      outcomes.addClass(actual, p);
    }
    return outcomes;
  }

  @Test
  void of_shouldFindNoDifference_whenBothVersionsAnswerAlike() {
    RowOutcomes one = classifier(300, 0.9, 0.8, 5);

    PairedBootstrap result = PairedBootstrap.of("macro_f1", true, one, one, 0.95, 500, 7);

    assertThat(result.difference()).isZero();
    assertThat(result.lower()).isZero();
    assertThat(result.upper()).isZero();
    assertThat(result.significantlyWorse()).isFalse();
  }

  @Test
  void of_shouldCallTheCandidateWorse_whenItIsClearlyWorseOnManyRows() {
    RowOutcomes served = classifier(1000, 0.95, 0.9, 5);
    RowOutcomes candidate = classifier(1000, 0.80, 0.6, 6);

    PairedBootstrap f1 = PairedBootstrap.of("macro_f1", true, candidate, served, 0.95, 500, 7);
    PairedBootstrap loss = PairedBootstrap.of("log_loss", false, candidate, served, 0.95, 500, 7);

    assertThat(f1.significantlyWorse()).isTrue();
    assertThat(f1.upper()).isNegative();
    assertThat(loss.significantlyWorse()).isTrue();
    assertThat(loss.lower()).isPositive();
  }

  @Test
  void of_shouldNotCallItWorse_whenTheGapIsWithinWhatFewRowsCanTell() {
    // one row in twenty-five: the same gap McNemar would not call on so few rows
    RowOutcomes served = classifier(25, 0.96, 0.9, 5);
    RowOutcomes candidate = classifier(25, 0.92, 0.9, 8);

    PairedBootstrap result = PairedBootstrap.of("macro_f1", true, candidate, served, 0.95, 1000, 7);

    assertThat(result.lower()).isLessThanOrEqualTo(result.difference());
    assertThat(result.significantlyWorse()).isFalse();
  }

  @Test
  void value_shouldAgreeWithTheEvaluatorsMetrics_onAllRows() {
    RowOutcomes outcomes = classifier(400, 0.85, 0.7, 11);
    ClassificationMetrics metrics = new ClassificationMetrics(LABELS);
    for (int i = 0; i < outcomes.rows(); i++) {
      metrics.add(outcomes.actual(i), outcomes.scores(i));
    }
    ClassificationResult result = metrics.result();
    int[] all = new int[outcomes.rows()];
    java.util.Arrays.fill(all, 1);

    assertThat(PairedBootstrap.value("macro_f1", outcomes, all, null))
        .isCloseTo(result.macroF1(), within(1e-9));
    assertThat(PairedBootstrap.value("log_loss", outcomes, all, null))
        .isCloseTo(result.logLoss(), within(1e-6));
    assertThat(PairedBootstrap.value("roc_auc", outcomes, all, PairedBootstrap.orders(outcomes)))
        .isCloseTo(result.macroRocAuc(), within(1e-3));
  }

  @Test
  void of_shouldRepeatItsInterval_whenSeededAlike() {
    RowOutcomes served = classifier(200, 0.9, 0.8, 5);
    RowOutcomes candidate = classifier(200, 0.88, 0.8, 9);

    PairedBootstrap first = PairedBootstrap.of("roc_auc", true, candidate, served, 0.95, 300, 3);
    PairedBootstrap second = PairedBootstrap.of("roc_auc", true, candidate, served, 0.95, 300, 3);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void value_shouldComputeRegressionErrors() {
    RowOutcomes outcomes = new RowOutcomes();
    outcomes.addValue(1, 2);
    outcomes.addValue(3, 3);
    outcomes.addValue(5, 2);
    int[] all = {1, 1, 1};

    assertThat(PairedBootstrap.value("mae", outcomes, all, null)).isCloseTo(4 / 3.0, within(1e-12));
    assertThat(PairedBootstrap.value("rmse", outcomes, all, null))
        .isCloseTo(Math.sqrt(10 / 3.0), within(1e-12));
    assertThat(PairedBootstrap.value("r2", outcomes, all, null))
        .isCloseTo(1 - 10 / 8.0, within(1e-12));
  }
}
