package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetSplitTest {

  @Test
  void stratified_should_holdOutTheFractionOfEveryClass_when_classesAreUneven() {
    // given 40 rows of class 0, 10 of class 1
    int[] labels = IntStream.range(0, 50).map(i -> i < 40 ? 0 : 1).toArray();

    // when
    DatasetSplit split = DatasetSplit.stratified(labels, 2, 0.2, 7);

    // then
    assertThat(Arrays.stream(split.holdout()).filter(i -> labels[i] == 0).count()).isEqualTo(8);
    assertThat(Arrays.stream(split.holdout()).filter(i -> labels[i] == 1).count()).isEqualTo(2);
    assertThat(
            IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.holdout()))
                .sorted()
                .toArray())
        .isEqualTo(IntStream.range(0, 50).toArray());
    assertThat(split.holdout()).isSorted();
  }

  @Test
  void stratified_should_giveTheSameSplit_when_seedIsTheSame() {
    // given
    int[] labels = IntStream.range(0, 90).map(i -> i % 3).toArray();

    // when
    DatasetSplit a = DatasetSplit.stratified(labels, 3, 0.3, 11);
    DatasetSplit b = DatasetSplit.stratified(labels, 3, 0.3, 11);
    DatasetSplit c = DatasetSplit.stratified(labels, 3, 0.3, 12);

    // then
    assertThat(b.holdout()).isEqualTo(a.holdout());
    assertThat(c.holdout()).isNotEqualTo(a.holdout());
  }

  @Test
  void stratified_should_fail_when_theHoldoutWouldBeEmpty() {
    assertThatThrownBy(() -> DatasetSplit.stratified(new int[] {0, 1, 0, 1}, 2, 0.1, 1))
        .isInstanceOf(TrainerException.class)
        .hasMessageStartingWith("the holdout is empty");
  }
}
