package io.triad.functions.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.triad.functions.config.RolloutSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules on figures alone: Wilson bounds, the promotion's conditions, every rollback bound. */
class RolloutDeciderTest {
  private static final RolloutSettings BOUNDS =
      new RolloutSettings(
          true, 200, Duration.ofMinutes(10), 0.01, Duration.ofSeconds(1), 0.9, null);

  private static Figures answered(long requests, long failures, long millisEach) {
    return new Figures(
        requests, failures, Map.of(Figures.bucket(millisEach * 1_000_000), requests), 0, 0, 0, 1);
  }

  @Test
  void wilsonBounds_should_matchTheirFormula() {
    // one-sided 95% (z = 1.645): 1 of 1 is at least 27%, 0 of 100 at most 2.6%
    assertThat(RolloutDecider.lower(1, 1)).isCloseTo(0.2698, within(1e-3));
    assertThat(RolloutDecider.upper(0, 100)).isCloseTo(0.0263, within(1e-3));
    assertThat(RolloutDecider.lower(0, 0)).isZero();
    assertThat(RolloutDecider.upper(5, 5)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void buckets_should_holdEachTimeAtMost25PercentUnderTheirEdge() {
    for (long nanos : new long[] {50_000, 100_001, 1_000_000, 37_000_000, 900_000_000}) {
      double edge = Figures.bucketMillis(Figures.bucket(nanos));
      assertThat(edge).isGreaterThanOrEqualTo(nanos / 1e6 - 1e-9);
      assertThat(edge).isLessThanOrEqualTo(Math.max(0.1, nanos / 1e6 * 1.25 + 1e-9));
    }
    Figures mixed =
        new Figures(
            100,
            0,
            Map.of(Figures.bucket(2_000_000), 98L, Figures.bucket(500_000_000), 2L),
            0,
            0,
            0,
            1);
    assertThat(mixed.p99Millis()).isBetween(500.0, 625.0);
  }

  @Test
  void canary_should_waitForItsRequestsAndTime_thenBePromoted() {
    assertThat(RolloutDecider.canary(BOUNDS, answered(199, 0, 5), Duration.ofHours(1)).action())
        .isEqualTo(RolloutDecider.Action.HOLD);
    assertThat(RolloutDecider.canary(BOUNDS, answered(500, 0, 5), Duration.ofMinutes(9)).action())
        .isEqualTo(RolloutDecider.Action.HOLD);
    RolloutDecider.Verdict verdict =
        RolloutDecider.canary(BOUNDS, answered(500, 2, 5), Duration.ofMinutes(10));
    assertThat(verdict.action()).isEqualTo(RolloutDecider.Action.PROMOTE);
    assertThat(verdict.reason()).contains("500 requests", "error rate 0.40%");
  }

  @Test
  void canary_should_beRolledBack_assoonAsABoundIsBrokenWithConfidence() {
    // two failures in two requests are not yet enough; three are
    assertThat(RolloutDecider.canary(BOUNDS, answered(2, 2, 5), Duration.ZERO).action())
        .isEqualTo(RolloutDecider.Action.HOLD);
    RolloutDecider.Verdict failing =
        RolloutDecider.canary(BOUNDS, answered(3, 3, 5), Duration.ZERO);
    assertThat(failing.action()).isEqualTo(RolloutDecider.Action.ROLL_BACK);
    assertThat(failing.reason()).startsWith("3 of 3 requests failed");
    // 3 failures in 1,000 (0.3%) are within 1%
    assertThat(RolloutDecider.canary(BOUNDS, answered(1000, 3, 5), Duration.ZERO).action())
        .isEqualTo(RolloutDecider.Action.HOLD);
    // slow: judged from 100 requests on
    assertThat(RolloutDecider.canary(BOUNDS, answered(99, 0, 2000), Duration.ZERO).action())
        .isEqualTo(RolloutDecider.Action.HOLD);
    assertThat(RolloutDecider.canary(BOUNDS, answered(100, 0, 2000), Duration.ZERO).reason())
        .startsWith("p99");
    // disagreeing with production in most shadow copies
    Figures disagreeing = new Figures(10, 0, Map.of(0, 10L), 5, 15, 0, 1);
    RolloutDecider.Verdict verdict = RolloutDecider.canary(BOUNDS, disagreeing, Duration.ZERO);
    assertThat(verdict.action()).isEqualTo(RolloutDecider.Action.ROLL_BACK);
    assertThat(verdict.reason()).startsWith("shadow agreement 25.00% over 20 copies");
  }

  @Test
  void canary_should_notBePromoted_whenItsFiguresAreOverABoundWithoutConfidence() {
    // 2% errors: not surely over 1%, not within it either
    RolloutDecider.Verdict verdict =
        RolloutDecider.canary(BOUNDS, answered(200, 4, 5), Duration.ofHours(1));
    assertThat(verdict.action()).isEqualTo(RolloutDecider.Action.HOLD);
    assertThat(verdict.reason()).startsWith("error rate 2.00% over 1.00%");
  }

  @Test
  void promotion_should_beRolledBack_onFailuresOrDrift_andKeptOtherwise() {
    assertThat(RolloutDecider.promotion(BOUNDS, answered(50, 10, 5), null).action())
        .isEqualTo(RolloutDecider.Action.ROLL_BACK);
    assertThat(RolloutDecider.promotion(BOUNDS, answered(50, 0, 5), "drift found").reason())
        .isEqualTo("drift found");
    assertThat(RolloutDecider.promotion(BOUNDS, answered(5000, 0, 5), null).action())
        .isEqualTo(RolloutDecider.Action.HOLD);
  }
}
