package io.triad.functions.internal.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.triad.functions.config.GateSettings;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
  private static final GateSettings ACCURACY = new GateSettings("accuracy", 0.9, 0.02, null, null);

  @Test
  void pWorse_should_beMcNemarsExactOneSidedValue() {
    // all six discordant rows go the served version's way: (1/2)^6
    assertThat(new PairedComparison(30, 0, 6).pWorse()).isCloseTo(1 / 64.0, within(1e-12));
    // 2 of 10: (C(10,0) + C(10,1) + C(10,2)) / 2^10
    assertThat(new PairedComparison(100, 2, 8).pWorse()).isCloseTo(56 / 1024.0, within(1e-12));
    // no discordant rows: no evidence either way
    assertThat(new PairedComparison(30, 0, 0).pWorse()).isEqualTo(1.0);
  }

  @Test
  void interval_should_useTheNormalQuantileOfTheConfidence() {
    assertThat(PairedComparison.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-4));
    double[] interval = new PairedComparison(100, 2, 8).interval(0.95);
    // difference -0.06; variance ((2 + 8) - 36/100) / 100^2
    double half = 1.959964 * Math.sqrt((10 - 0.36) / 10_000);
    assertThat(interval[0]).isCloseTo(-0.06 - half, within(1e-4));
    assertThat(interval[1]).isCloseTo(-0.06 + half, within(1e-4));
  }

  @Test
  void decide_should_promote_when_theCandidateIsOneRowBehindOnThirty() {
    // given the measured case: served 29/30 right, candidate 28/30, differing on one row
    BitSet served = new BitSet();
    served.set(0, 29);
    BitSet candidate = new BitSet();
    candidate.set(0, 28);
    PairedComparison paired = PairedComparison.of(candidate, served, 30);

    // when the gate decides (a fixed tolerance of 0.02 would reject 0.9333 against 0.9667)
    GateDecision decision =
        GateDecision.decide(
            ACCURACY, Map.of("accuracy", 28 / 30.0), Map.of("accuracy", 29 / 30.0), paired);

    // then one row of difference is no evidence: promoted, and the reason says why
    assertThat(decision.promote()).isTrue();
    assertThat(decision.reason()).contains("paired on 30 rows", "not significantly worse");
  }

  @Test
  void decide_should_reject_when_theCandidateLosesEveryDiscordantRowOfMany() {
    // given 200 rows where the served version alone is right on 12 and the candidate alone on 1
    PairedComparison paired = new PairedComparison(200, 1, 12);

    // then the candidate is significantly worse and rejected
    GateDecision decision =
        GateDecision.decide(ACCURACY, Map.of("accuracy", 0.91), Map.of("accuracy", 0.965), paired);
    assertThat(paired.pWorse()).isLessThan(0.05);
    assertThat(decision.promote()).isFalse();
    assertThat(decision.reason()).contains("significantly worse");
  }
}
