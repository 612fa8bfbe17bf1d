package io.triad.functions.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

  @Test
  void result_shouldMatchKnownValues_whenSmallVector() {
    // given: errors -0.5, 0.5, 0, 1; actual mean 2.875, sum of squares 29.1875
    RegressionMetrics metrics = new RegressionMetrics();
    double[] actual = {3, -0.5, 2, 7};
    double[] predicted = {2.5, 0.0, 2, 8};

    // when
    for (int i = 0; i < actual.length; i++) {
      metrics.add(actual[i], predicted[i]);
    }
    RegressionResult result = metrics.result();

    // then
    assertThat(result.rows()).isEqualTo(4);
    assertThat(result.mae()).isCloseTo(0.5, within(1e-12));
    assertThat(result.rmse()).isCloseTo(Math.sqrt(0.375), within(1e-12));
    assertThat(result.r2()).isCloseTo(1 - 1.5 / 29.1875, within(1e-12));
  }

  @Test
  void result_shouldGiveNullR2_whenActualValuesAreConstant() {
    // given
    RegressionMetrics metrics = new RegressionMetrics();

    // when
    metrics.add(4, 3);
    metrics.add(4, 5);
    RegressionResult result = metrics.result();

    // then
    assertThat(result.r2()).isNull();
    assertThat(result.mae()).isEqualTo(1.0);
    assertThat(result.headline()).containsOnlyKeys("mae", "rmse");
  }

  @Test
  void result_shouldKeepPrecision_whenValuesHaveLargeOffset() {
    // given: the small vector shifted by 1e9, where naive sum-of-squares loses every digit
    RegressionMetrics metrics = new RegressionMetrics();
    double[] actual = {3, -0.5, 2, 7};
    double[] predicted = {2.5, 0.0, 2, 8};

    // when
    for (int i = 0; i < actual.length; i++) {
      metrics.add(1e9 + actual[i], 1e9 + predicted[i]);
    }

    // then
    assertThat(metrics.result().r2()).isCloseTo(1 - 1.5 / 29.1875, within(1e-9));
  }

  @Test
  void add_shouldReject_whenValueIsNotFinite() {
    // given
    RegressionMetrics metrics = new RegressionMetrics();

    // when / then
    assertThatThrownBy(() -> metrics.add(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.add(1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(metrics.rows()).isZero();
  }

  @Test
  void result_shouldThrow_whenNoRowsAdded() {
    // when / then
    assertThatThrownBy(() -> new RegressionMetrics().result())
        .isInstanceOf(IllegalStateException.class);
  }
}
