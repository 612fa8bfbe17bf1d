package io.triad.functions.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The drift statistics against values worked out by hand or printed by SciPy for the same inputs
 * ({@code scipy.stats.chi2.sf}, {@code scipy.special.kolmogorov}, {@code
 * scipy.stats.wasserstein_distance}, {@code scipy.spatial.distance.jensenshannon}).
 */
class DriftCheckTest {

  @Test
  void statistics_should_matchTheirKnownValues() {
    // ln Γ(5) = ln 24
    assertThat(DriftCheck.logGamma(5)).isCloseTo(Math.log(24), within(1e-10));
    // chi2.sf(3.841459, 1) = 0.05; chi2.sf(10, 3) = 0.0185661; chi2.sf(0.5, 4) = 0.9735010
    assertThat(DriftCheck.upperGamma(0.5, 3.841459 / 2)).isCloseTo(0.05, within(1e-6));
    assertThat(DriftCheck.upperGamma(1.5, 5)).isCloseTo(0.0185661, within(1e-6));
    assertThat(DriftCheck.upperGamma(2, 0.25)).isCloseTo(0.9735010, within(1e-6));
    // kolmogorov(1.36) = 0.0494; kolmogorov(0.5) = 0.9639
    assertThat(DriftCheck.kolmogorovQ(1.36)).isCloseTo(0.04943, within(1e-4));
    assertThat(DriftCheck.kolmogorovQ(0.5)).isCloseTo(0.96394, within(1e-4));
    // the largest gap of the two step functions
    assertThat(DriftCheck.ksStatistic(new double[] {1, 2, 3, 4, 5}, new double[] {3, 4, 5, 6, 7}))
        .isCloseTo(0.4, within(1e-12));
    // a sample moved by 5 is 5 away; a point mass against two points half a unit either side
    assertThat(DriftCheck.wasserstein(new double[] {0, 1, 3}, new double[] {5, 6, 8}))
        .isCloseTo(5, within(1e-12));
    assertThat(DriftCheck.wasserstein(new double[] {0, 0}, new double[] {-0.5, 0.5}))
        .isCloseTo(0.5, within(1e-12));
    // disjoint distributions are sqrt(ln 2) apart; equal ones 0
    assertThat(DriftCheck.jensenShannon(new double[] {1, 0}, new double[] {0, 1}))
        .isCloseTo(Math.sqrt(Math.log(2)), within(1e-12));
    assertThat(DriftCheck.jensenShannon(new double[] {0.3, 0.7}, new double[] {0.3, 0.7}))
        .isCloseTo(0, within(1e-12));
    // PSI of equal distributions is 0, of moved ones positive
    assertThat(DriftCheck.psi(new double[] {0.5, 0.5}, new double[] {0.5, 0.5})).isZero();
    assertThat(DriftCheck.psi(new double[] {0.5, 0.5}, new double[] {0.9, 0.1}))
        .isCloseTo(0.4 * Math.log(1.8) - 0.4 * Math.log(0.2), within(1e-12));
  }

  @Test
  void chiSquared_should_tripOnANewMixOrANewValue_only() {
    double[] reference = {0.5, 0.3, 0.2};
    Set<String> values = new java.util.LinkedHashSet<>(java.util.List.of("a", "b", "c"));
    assertThat(
            DriftCheck.chiSquaredPValue(
                reference, Map.of("a", 50L, "b", 30L, "c", 20L), values, 100))
        .isGreaterThan(0.9);
    assertThat(
            DriftCheck.chiSquaredPValue(
                reference, Map.of("a", 20L, "b", 30L, "c", 50L), values, 100))
        .isLessThan(1e-6);
  }

  @Test
  void servedSample_should_stayBounded_when_rowsHoldEndlessValues() {
    ServedSample sample =
        new ServedSample(
            io.triad.functions.testing.TestModels.irisManifest("1", new byte[] {1}), "species");
    for (int i = 0; i < 50_000; i++) {
      int row = i;
      sample.add(
          name ->
              switch (name) {
                case "species" -> "label-" + row;
                case "sepal_length" -> row % 7 == 0 ? "Infinity" : Integer.toString(row);
                default -> "not a number";
              });
    }
    assertThat(sample.rows()).isEqualTo(50_000);
    assertThat(sample.categorical("species")).hasSize(ServedSample.DISTINCT + 1);
    assertThat(sample.categorical("species").get(ServedSample.OTHER))
        .isEqualTo(50_000L - ServedSample.DISTINCT);
    assertThat(sample.numeric("sepal_length"))
        .hasSizeLessThanOrEqualTo(ServedSample.LIMIT)
        .allMatch(Double::isFinite);
    assertThat(sample.numeric("petal_width")).isEmpty();
  }
}
