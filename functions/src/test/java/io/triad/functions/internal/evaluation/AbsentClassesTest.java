package io.triad.functions.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AbsentClassesTest {

  @Test
  void of_should_leaveAClassWithNoRowsOutOfTheMacroAverages() {
    // given two classes with rows and one (five) with none, never predicted either
    List<ClassificationResult.ClassMetrics> classes =
        List.of(
            new ClassificationResult.ClassMetrics("zero", 1.0, 0.9, 0.95, 10, null, null),
            new ClassificationResult.ClassMetrics("one", 0.8, 1.0, 0.8, 10, null, null),
            new ClassificationResult.ClassMetrics("five", 0.0, 0.0, 0.0, 0, null, null));

    // when the averages are derived
    ClassificationResult result =
        ClassificationResult.of(
            20, 0.95, classes, List.of(List.of(9L), List.of(10L)), 0.1, List.of());

    // then five counts in no macro average, and it is named as absent
    assertThat(result.macroF1()).isCloseTo((0.95 + 0.8) / 2, within(1e-12));
    assertThat(result.macroRecall()).isCloseTo(0.95, within(1e-12));
    assertThat(result.absentClasses()).containsExactly("five");
  }
}
