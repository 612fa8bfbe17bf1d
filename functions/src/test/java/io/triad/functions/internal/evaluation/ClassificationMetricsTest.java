package io.triad.functions.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.triad.functions.internal.evaluation.ClassificationResult.ClassMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  private static final double EPS = 1e-9;

  /** Seven rows over classes a, b, c; true→predicted: a→a, a→b, b→b, b→b, c→c, c→a, b→b. */
  private static ClassificationMetrics threeClassExample() {
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b", "c"));
    metrics.add(0, new float[] {0.7f, 0.2f, 0.1f});
    metrics.add(0, new float[] {0.3f, 0.6f, 0.1f});
    metrics.add(1, new float[] {0.2f, 0.7f, 0.1f});
    metrics.add(1, new float[] {0.1f, 0.8f, 0.1f});
    metrics.add(2, new float[] {0.1f, 0.2f, 0.7f});
    metrics.add(2, new float[] {0.5f, 0.3f, 0.2f});
    metrics.add(1, new float[] {0.2f, 0.5f, 0.3f});
    return metrics;
  }

  @Test
  void result_shouldMatchHandComputedCounts_whenThreeClassExample() {
    // given
    ClassificationMetrics metrics = threeClassExample();

    // when
    ClassificationResult result = metrics.result();

    // then: 5 of 7 on the diagonal
    assertThat(result.rows()).isEqualTo(7);
    assertThat(result.accuracy()).isCloseTo(5.0 / 7, within(EPS));
    assertThat(result.confusionMatrix())
        .containsExactly(List.of(1L, 1L, 0L), List.of(0L, 3L, 0L), List.of(1L, 0L, 1L));
  }

  @Test
  void result_shouldMatchHandComputedPerClassMetrics_whenThreeClassExample() {
    // given
    ClassificationMetrics metrics = threeClassExample();

    // when
    List<ClassMetrics> classes = metrics.result().classes();

    // then: a: tp 1 of 2 predicted, 2 true; b: tp 3 of 4 predicted, 3 true; c: tp 1 of 1, 2 true
    assertClass(classes.get(0), "a", 0.5, 0.5, 0.5, 2);
    assertClass(classes.get(1), "b", 0.75, 1.0, 6.0 / 7, 3);
    assertClass(classes.get(2), "c", 1.0, 0.5, 2.0 / 3, 2);
  }

  private static void assertClass(
      ClassMetrics actual, String label, double precision, double recall, double f1, long support) {
    assertThat(actual.label()).isEqualTo(label);
    assertThat(actual.precision()).as("precision of %s", label).isCloseTo(precision, within(EPS));
    assertThat(actual.recall()).as("recall of %s", label).isCloseTo(recall, within(EPS));
    assertThat(actual.f1()).as("f1 of %s", label).isCloseTo(f1, within(EPS));
    assertThat(actual.support()).as("support of %s", label).isEqualTo(support);
  }

  @Test
  void result_shouldMatchHandComputedAverages_whenThreeClassExample() {
    // given
    ClassificationMetrics metrics = threeClassExample();

    // when
    ClassificationResult result = metrics.result();

    // then
    assertThat(result.macroPrecision()).isCloseTo((0.5 + 0.75 + 1.0) / 3, within(EPS));
    assertThat(result.macroRecall()).isCloseTo((0.5 + 1.0 + 0.5) / 3, within(EPS));
    assertThat(result.macroF1()).isCloseTo((0.5 + 6.0 / 7 + 2.0 / 3) / 3, within(EPS));
    assertThat(result.weightedF1())
        .isCloseTo((2 * 0.5 + 3 * 6.0 / 7 + 2 * 2.0 / 3) / 7, within(EPS));
  }

  @Test
  void result_shouldMatchHandComputedLogLoss_whenThreeClassExample() {
    // given
    ClassificationMetrics metrics = threeClassExample();

    // when
    double logLoss = metrics.result().logLoss();

    // then: -(3 ln 0.7 + ln 0.3 + ln 0.8 + ln 0.2 + ln 0.5) / 7 = 0.685675...
    assertThat(logLoss).isCloseTo(0.6856752, within(1e-6));
  }

  @Test
  void result_shouldMatchHandComputedAuc_whenThreeClassExample() {
    // given: class a scores, positives {0.7, 0.3}, negatives {0.2, 0.1, 0.1, 0.5, 0.2}
    ClassificationMetrics metrics = threeClassExample();

    // when
    ClassMetrics a = metrics.result().classes().get(0);

    // then: 0.7 beats all 5, 0.3 beats 4 of 5 → 9 / 10
    assertThat(a.rocAuc()).isCloseTo(0.9, within(EPS));
  }

  @Test
  void result_shouldClipProbability_whenTrueClassScoresZero() {
    // given
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("no", "yes"));

    // when
    metrics.add(1, new float[] {1f, 0f});

    // then: -ln(1e-15)
    assertThat(metrics.result().logLoss()).isCloseTo(-Math.log(1e-15), within(1e-9));
  }

  @Test
  void result_shouldGiveAucOne_whenClassesPerfectlySeparated() {
    // given
    float[] scores = {0.1f, 0.2f, 0.3f, 0.7f, 0.8f, 0.9f};
    int[] labels = {0, 0, 0, 1, 1, 1};

    // when
    ClassificationResult result = binary(scores, labels);

    // then
    assertThat(result.classes().get(1).rocAuc()).isEqualTo(1.0);
    assertThat(result.classes().get(0).rocAuc()).isEqualTo(1.0);
    assertThat(result.macroRocAuc()).isEqualTo(1.0);
  }

  @Test
  void result_shouldGiveAucZero_whenScoresReversed() {
    // given
    float[] scores = {0.9f, 0.8f, 0.7f, 0.3f, 0.2f, 0.1f};
    int[] labels = {0, 0, 0, 1, 1, 1};

    // when
    ClassificationResult result = binary(scores, labels);

    // then
    assertThat(result.classes().get(1).rocAuc()).isEqualTo(0.0);
  }

  @Test
  void result_shouldGiveThreeQuarters_whenKnownSmallExample() {
    // given: scikit-learn's roc_auc_score example
    float[] scores = {0.1f, 0.4f, 0.35f, 0.8f};
    int[] labels = {0, 0, 1, 1};

    // when
    ClassificationResult result = binary(scores, labels);

    // then
    assertThat(result.classes().get(1).rocAuc()).isCloseTo(0.75, within(EPS));
  }

  @Test
  void result_shouldCountTiesAsHalf_whenScoresShareABin() {
    // given: every score the same
    float[] scores = {0.5f, 0.5f, 0.5f, 0.5f};
    int[] labels = {0, 1, 0, 1};

    // when
    ClassificationResult result = binary(scores, labels);

    // then
    assertThat(result.classes().get(1).rocAuc()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void result_shouldGiveNullAuc_whenClassHasNoPositives() {
    // given: class c never occurs
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b", "c"));
    metrics.add(0, new float[] {0.8f, 0.1f, 0.1f});
    metrics.add(1, new float[] {0.2f, 0.7f, 0.1f});

    // when
    ClassificationResult result = metrics.result();

    // then: the macro average skips c
    ClassMetrics c = result.classes().get(2);
    assertThat(c.rocAuc()).isNull();
    assertThat(c.roc()).isEmpty();
    assertThat(c.recall()).isZero();
    assertThat(result.macroRocAuc()).isEqualTo(1.0);
  }

  @Test
  void result_shouldDrawCurveFromOriginToCorner_whenRocPointsRequested() {
    // given
    ClassificationResult result =
        binary(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new int[] {0, 0, 1, 1});

    // when
    List<RocPoint> roc = result.classes().get(1).roc();

    // then: thresholds 0.8, 0.4, 0.35, 0.1 in turn
    assertThat(roc)
        .containsExactly(
            new RocPoint(0, 0),
            new RocPoint(0, 0.5),
            new RocPoint(0.5, 0.5),
            new RocPoint(0.5, 1),
            new RocPoint(1, 1));
  }

  @Test
  void add_shouldReject_whenTrueClassOutOfRange() {
    // given
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b"));
    float[] probabilities = {0.5f, 0.5f};

    // when / then
    assertThatThrownBy(() -> metrics.add(2, probabilities))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> metrics.add(-1, probabilities))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(metrics.rows()).isZero();
  }

  @Test
  void add_shouldReject_whenProbabilitiesHaveWrongLength() {
    // given
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b"));

    // when / then
    assertThatThrownBy(() -> metrics.add(0, new float[] {0.2f, 0.3f, 0.5f}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 probabilities, got 3");
    assertThatThrownBy(() -> metrics.add(0, new float[] {1f}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void add_shouldReject_whenProbabilityIsNaNOrOutsideUnitInterval() {
    // given
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b"));

    // when / then
    assertThatThrownBy(() -> metrics.add(0, new float[] {Float.NaN, 0.5f}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.add(0, new float[] {2.3f, -1.1f}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside [0, 1]");
    assertThat(metrics.rows()).isZero();
  }

  @Test
  void constructor_shouldReject_whenLabelsTooFewOrRepeated() {
    // when / then
    assertThatThrownBy(() -> new ClassificationMetrics(List.of("only")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClassificationMetrics(List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distinct");
  }

  @Test
  void result_shouldThrow_whenNoRowsAdded() {
    // given
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("a", "b"));

    // when / then
    assertThatThrownBy(metrics::result).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void result_shouldMatchExactSortingAuc_whenManyRandomRows() {
    // given: 100k rows, 3 classes, noisy scores that favour the true class
    Random random = new Random(42);
    int rows = 100_000;
    int k = 3;
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("x", "y", "z"));
    int[] truth = new int[rows];
    float[][] scores = new float[rows][];
    for (int i = 0; i < rows; i++) {
      truth[i] = random.nextInt(k);
      scores[i] = noisySoftmax(random, truth[i], k);
      metrics.add(truth[i], scores[i]);
    }

    // when
    ClassificationResult result = metrics.result();

    // then
    for (int c = 0; c < k; c++) {
      ClassMetrics actual = result.classes().get(c);
      assertThat(actual.rocAuc())
          .as("AUC of class %d", c)
          .isCloseTo(exactAuc(scores, truth, c), within(1e-3));
      assertThat(actual.roc()).hasSizeLessThanOrEqualTo(ClassificationMetrics.MAX_ROC_POINTS);
      assertThat(actual.roc().get(0)).isEqualTo(new RocPoint(0, 0));
      assertThat(actual.roc().get(actual.roc().size() - 1)).isEqualTo(new RocPoint(1, 1));
    }
  }

  @Test
  void add_shouldKeepStateBounded_whenMillionRows() {
    // given: positives score U(0.2, 1), negatives U(0, 0.8), so AUC = 1 - 0.75² / 2 = 0.71875
    Random random = new Random(7);
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("neg", "pos"));
    long countersBefore = metrics.counters();

    // when
    for (int i = 0; i < 1_000_000; i++) {
      boolean positive = random.nextBoolean();
      float score = positive ? 0.2f + 0.8f * random.nextFloat() : 0.8f * random.nextFloat();
      metrics.add(positive ? 1 : 0, new float[] {1 - score, score});
    }

    // then
    ClassificationResult result = metrics.result();
    assertThat(metrics.counters()).isEqualTo(countersBefore);
    assertThat(result.rows()).isEqualTo(1_000_000);
    assertThat(result.classes().get(1).rocAuc()).isCloseTo(0.71875, within(3e-3));
    assertThat(result.classes().get(1).roc())
        .hasSizeLessThanOrEqualTo(ClassificationMetrics.MAX_ROC_POINTS);
  }

  private static ClassificationResult binary(float[] scores, int[] labels) {
    ClassificationMetrics metrics = new ClassificationMetrics(List.of("negative", "positive"));
    for (int i = 0; i < scores.length; i++) {
      metrics.add(labels[i], new float[] {1 - scores[i], scores[i]});
    }
    return metrics.result();
  }

  private static float[] noisySoftmax(Random random, int truth, int k) {
    double[] logits = new double[k];
    double sum = 0;
    for (int c = 0; c < k; c++) {
      logits[c] = Math.exp(random.nextGaussian() + (c == truth ? 1.0 : 0.0));
      sum += logits[c];
    }
    float[] probabilities = new float[k];
    for (int c = 0; c < k; c++) {
      probabilities[c] = (float) (logits[c] / sum);
    }
    return probabilities;
  }

  /** Mann–Whitney U from ranks over the sorted scores, ties given their average rank. */
  private static double exactAuc(float[][] scores, int[] truth, int c) {
    int n = truth.length;
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (i, j) -> Float.compare(scores[i][c], scores[j][c]));
    double positiveRankSum = 0;
    long positives = 0;
    for (int start = 0; start < n; ) {
      int end = start;
      while (end + 1 < n && scores[order[end + 1]][c] == scores[order[start]][c]) {
        end++;
      }
      double averageRank = (start + end) / 2.0 + 1;
      for (int i = start; i <= end; i++) {
        if (truth[order[i]] == c) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      start = end + 1;
    }
    long negatives = n - positives;
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
