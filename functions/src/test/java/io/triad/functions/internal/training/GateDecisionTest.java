package io.triad.functions.internal.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.config.GateSettings;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateDecisionTest {
  private static final GateSettings ACCURACY = new GateSettings("accuracy", 0.9, 0.01, null, null);
  private static final GateSettings LOG_LOSS = new GateSettings("log_loss", 0.5, 0.02, null, null);

  @Test
  void decide_shouldPromote_whenHigherIsBetterAndCandidateBeatsServed() {
    // when
    GateDecision decision =
        GateDecision.decide(ACCURACY, Map.of("accuracy", 0.95), Map.of("accuracy", 0.93));

    // then
    assertThat(decision.promote()).isTrue();
    assertThat(decision.candidate()).isEqualTo(0.95);
    assertThat(decision.current()).isEqualTo(0.93);
  }

  @Test
  void decide_shouldPromoteWithinTolerance_andRejectBeyondIt_whenHigherIsBetter() {
    // when / then
    assertThat(
            GateDecision.decide(ACCURACY, Map.of("accuracy", 0.925), Map.of("accuracy", 0.93))
                .promote())
        .isTrue();
    GateDecision worse =
        GateDecision.decide(ACCURACY, Map.of("accuracy", 0.91), Map.of("accuracy", 0.93));
    assertThat(worse.promote()).isFalse();
    assertThat(worse.reason()).contains("worse than the served version");
  }

  @Test
  void decide_shouldReject_whenBelowMinimumEvenIfNothingServed() {
    // when
    GateDecision decision = GateDecision.decide(ACCURACY, Map.of("accuracy", 0.8), Map.of());

    // then
    assertThat(decision.promote()).isFalse();
    assertThat(decision.reason()).contains("does not reach the minimum");
  }

  @Test
  void decide_shouldPromote_whenNothingServedAndMinimumReached() {
    // when
    GateDecision decision = GateDecision.decide(ACCURACY, Map.of("accuracy", 0.9), null);

    // then
    assertThat(decision.promote()).isTrue();
    assertThat(decision.reason()).contains("nothing served yet");
  }

  @Test
  void decide_shouldCompareDownward_whenLowerIsBetter() {
    // when / then
    assertThat(LOG_LOSS.higherIsBetter()).isFalse();
    assertThat(
            GateDecision.decide(LOG_LOSS, Map.of("log_loss", 0.30), Map.of("log_loss", 0.31))
                .promote())
        .isTrue();
    assertThat(
            GateDecision.decide(LOG_LOSS, Map.of("log_loss", 0.32), Map.of("log_loss", 0.31))
                .promote())
        .isTrue();
    assertThat(
            GateDecision.decide(LOG_LOSS, Map.of("log_loss", 0.40), Map.of("log_loss", 0.31))
                .promote())
        .isFalse();
    assertThat(GateDecision.decide(LOG_LOSS, Map.of("log_loss", 0.60), Map.of()).promote())
        .isFalse();
  }

  @Test
  void decide_shouldReject_whenCandidateLacksMetric() {
    // when
    GateDecision decision =
        GateDecision.decide(ACCURACY, Map.of("rmse", 1.0), Map.of("accuracy", 0.9));

    // then
    assertThat(decision.promote()).isFalse();
    assertThat(decision.reason()).contains("no accuracy");
  }

  @Test
  void decide_shouldJudgeOnItsOwn_whenServedLacksMetric() {
    // when
    GateDecision decision =
        GateDecision.decide(ACCURACY, Map.of("accuracy", 0.95), Map.of("rmse", 1.0));

    // then
    assertThat(decision.promote()).isTrue();
  }

  @Test
  void defaults_shouldUseAccuracyAndNoMaximumForLowerIsBetter() {
    // when / then
    assertThat(GateSettings.defaults().metric()).isEqualTo("accuracy");
    assertThat(GateSettings.defaults().minimum()).isEqualTo(0.9);
    assertThat(new GateSettings("rmse", null, null, null, null).minimum())
        .isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void reason_shouldUseDotDecimals_whenDefaultLocaleUsesCommas() {
    // given
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      // when
      GateDecision decision = GateDecision.decide(ACCURACY, Map.of("accuracy", 0.5), Map.of());

      // then
      assertThat(decision.reason()).contains("0.5000").contains("0.9000");
    } finally {
      Locale.setDefault(before);
    }
  }
}
