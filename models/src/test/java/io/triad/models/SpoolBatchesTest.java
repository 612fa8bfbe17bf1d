package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.model.TrainingRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training rows as the trainer takes them from the spool: through a buffer smaller than the
 * data every training row comes once an epoch and no held-out row ever does, in an order that mixes
 * a file sorted by class and repeats with the seed; data that fits is permuted as rows in memory
 * are.
 */
class SpoolBatchesTest {
  private static final int ROWS = 2_000;

  @TempDir Path work;

  @Test
  void epoch_should_handOutEveryTrainingRowOnce_when_theDataIsLargerThanTheBuffer() {
    try (SpooledData data = sortedByClass(ROWS)) {
      // given a buffer of a tenth of the rows
      SpoolBatches batches = new SpoolBatches(data, rows -> {}, ROWS / 10);
      assertThat(batches.fits()).isFalse();

      // when two epochs run
      List<List<Integer>> epochs = new ArrayList<>();
      Random random = new Random(7);
      for (int e = 0; e < 2; e++) {
        List<Integer> seen = new ArrayList<>();
        batches.epoch(
            16,
            random,
            (features, labels) -> {
              assertThat(labels.length).isBetween(1, 16);
              for (int i = 0; i < labels.length; i++) {
                int id = (int) features[i * 2];
                assertThat(labels[i])
                    .as("row %d keeps its class", id)
                    .isEqualTo(id < ROWS / 2 ? 0 : 1);
                seen.add(id);
              }
            });
        epochs.add(seen);
      }

      // then each holds every training row once, and only those
      Set<Integer> training = trainingIds(data);
      for (List<Integer> seen : epochs) {
        assertThat(seen).hasSize((int) data.trainRows()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(training);
      }
      // in a new order each epoch, mixing the classes of a file sorted by class
      assertThat(epochs.get(1)).isNotEqualTo(epochs.get(0));
      assertThat(mixedBatches(epochs.get(0), 16)).isGreaterThan(0.8);
    }
  }

  @Test
  void epoch_should_repeatTheSameBatches_when_theSeedIsTheSame() {
    try (SpooledData data = sortedByClass(ROWS)) {
      SpoolBatches batches = new SpoolBatches(data, rows -> {}, ROWS / 10);
      assertThat(order(batches, 3)).isEqualTo(order(batches, 3)).isNotEqualTo(order(batches, 4));
    }
  }

  @Test
  void epoch_should_permuteAsRowsInMemory_when_theTrainingRowsFitTheBuffer() {
    try (SpooledData data = sortedByClass(ROWS)) {
      // given a buffer larger than the data, and the same rows in memory
      SpoolBatches spooled = new SpoolBatches(data, rows -> rows[1] *= 10, ROWS);
      assertThat(spooled.fits()).isTrue();
      List<float[]> x = new ArrayList<>();
      List<Integer> y = new ArrayList<>();
      data.forEach(
          true,
          (features, label, fingerprint) -> {
            features[1] *= 10;
            x.add(features);
            y.add(label);
            return true;
          });
      TrainingBatches memory =
          TrainingBatches.of(
              x.toArray(float[][]::new), y.stream().mapToInt(Integer::intValue).toArray());

      // then the same seed gives the same batches, transformed once
      assertThat(values(spooled, 5)).isEqualTo(values(memory, 5));
      assertThat(values(spooled, 5)).isEqualTo(values(memory, 5));
    }
  }

  @Test
  void epoch_should_fail_when_theSpoolCannotBeRead() {
    SpooledData data = sortedByClass(ROWS);
    SpoolBatches batches = new SpoolBatches(data, rows -> {}, ROWS / 10);
    data.close();

    assertThatThrownBy(() -> batches.epoch(16, new Random(1), (features, labels) -> {}))
        .hasMessageContaining("reading the training rows back");
  }

  /** Rows whose first value is their number, class 0 then class 1, the file sorted by class. */
  private SpooledData sortedByClass(int rows) {
    try (SpooledData.Writer writer =
        new SpooledData.Writer(work, List.of("id", "noise", "label"), 2, "sorted.csv", 0.2)) {
      for (int i = 0; i < rows; i++) {
        String label = i < rows / 2 ? "a" : "b";
        CsvTable.Row row = new CsvTable.Row(i + 2, List.of(Integer.toString(i), "0", label));
        writer.add(
            row,
            label,
            TrainingRows.ofFeatures(List.of("id"), n -> row.cell(0)),
            new float[] {i, 1});
      }
      return writer.finish();
    }
  }

  private static Set<Integer> trainingIds(SpooledData data) {
    Set<Integer> ids = new HashSet<>();
    data.forEach(
        true,
        (features, label, fingerprint) -> {
          ids.add((int) features[0]);
          return true;
        });
    return ids;
  }

  /** The share of full batches holding both classes. */
  private static double mixedBatches(List<Integer> order, int size) {
    int mixed = 0;
    int full = order.size() / size;
    for (int b = 0; b < full; b++) {
      List<Integer> batch = order.subList(b * size, (b + 1) * size);
      if (batch.stream().anyMatch(id -> id < ROWS / 2)
          && batch.stream().anyMatch(id -> id >= ROWS / 2)) {
        mixed++;
      }
    }
    return (double) mixed / full;
  }

  private static List<Integer> order(TrainingBatches batches, long seed) {
    List<Integer> order = new ArrayList<>();
    batches.epoch(
        16,
        new Random(seed),
        (features, labels) -> {
          for (int i = 0; i < labels.length; i++) {
            order.add((int) features[i * 2]);
          }
        });
    return order;
  }

  private static List<Float> values(TrainingBatches batches, long seed) {
    List<Float> values = new ArrayList<>();
    batches.epoch(
        16,
        new Random(seed),
        (features, labels) -> {
          for (float value : features) {
            values.add(value);
          }
          for (long label : labels) {
            values.add((float) label);
          }
        });
    return values;
  }
}
