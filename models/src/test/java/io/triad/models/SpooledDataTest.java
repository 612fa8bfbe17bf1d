package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.model.TrainingRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed split keeps the in-memory rule ({@link DatasetSplit#stable}): rows are held out by
 * fingerprint, a class none of whose rows would be trained on is trained on whole and leaves the
 * held-out CSV, and the counts, classes and training fingerprints agree with the rows in memory.
 */
class SpooledDataTest {
  @TempDir Path work;

  @Test
  void finish_should_splitAsTheInMemoryRule_when_aClassIsAllHeldOut() throws Exception {
    // given rows of three classes, one of which ("rare") has only held-out rows
    List<String> header = List.of("x", "label");
    String rare = null;
    for (int i = 0; rare == null; i++) {
      if (TrainingRows.heldOut(fingerprint(Integer.toString(i)), 0.2)) {
        rare = Integer.toString(i);
      }
    }
    StringBuilder csv = new StringBuilder("x,label\n");
    SpooledData data;
    try (SpooledData.Writer writer = new SpooledData.Writer(work, header, 1, "t.csv", 0.2)) {
      for (int i = 0; i < 300; i++) {
        String x = Integer.toString(i);
        String label = x.equals(rare) ? "rare" : i % 2 == 0 ? "even" : "odd";
        csv.append(x).append(',').append(label).append('\n');
        writer.add(
            new CsvTable.Row(i + 2, List.of(x, label)), label, fingerprint(x), new float[] {i});
      }
      data = writer.finish();
    }

    // when the same rows are split in memory
    TabularDataset memory = TabularDataset.of(CsvTable.parse(csv.toString(), "t.csv"), null, "t");
    DatasetSplit split =
        DatasetSplit.stable(memory.fingerprints(), memory.y(), memory.labels().size(), 0.2);

    // then both agree
    try (data) {
      assertThat(data.labels()).containsExactly("even", "odd", "rare");
      assertThat(data.trainRows()).isEqualTo(split.train().length);
      assertThat(data.holdoutRows()).isEqualTo(split.holdout().length);
      assertThat(data.trainingRows().size())
          .isEqualTo(split.trainingRows(memory.fingerprints()).size());
      long[] trained =
          Arrays.stream(split.train()).mapToLong(i -> memory.fingerprints()[i]).toArray();
      assertThat(Arrays.stream(trained).allMatch(data.trainingRows()::contains)).isTrue();
      String held = Files.readString(data.holdoutCsv(), StandardCharsets.UTF_8);
      assertThat(held.lines()).first().isEqualTo("x,label");
      assertThat(held).doesNotContain("rare");
      assertThat(held.lines().skip(1).toList())
          .containsExactlyElementsOf(
              Arrays.stream(split.holdout())
                  .mapToObj(i -> memory.table().rows().get(i).cells())
                  .map(cells -> String.join(",", cells))
                  .toList());
    }
  }

  @Test
  void finish_should_refuse_when_theHoldoutIsEmptyOrThereIsOneClass() {
    try (SpooledData.Writer writer =
        new SpooledData.Writer(work, List.of("x", "label"), 1, "one.csv", 0.2)) {
      writer.add(new CsvTable.Row(2, List.of("1", "a")), "a", 1L, new float[] {1});
      assertThatThrownBy(writer::finish)
          .isInstanceOf(TrainerException.class)
          .hasMessage("one.csv: target column 'label' has only one class [a]");
    }
    try (SpooledData.Writer writer =
        new SpooledData.Writer(work, List.of("x", "label"), 1, "few.csv", 1e-9)) {
      writer.add(new CsvTable.Row(2, List.of("1", "a")), "a", 1L, new float[] {1});
      writer.add(new CsvTable.Row(3, List.of("2", "b")), "b", 2L, new float[] {2});
      assertThatThrownBy(writer::finish)
          .isInstanceOf(TrainerException.class)
          .hasMessageStartingWith("the holdout is empty: 2 rows");
    }
    // nothing is left behind by a refused data set
    assertThat(work.toFile().list()).isEmpty();
  }

  private static long fingerprint(String x) {
    return TrainingRows.ofFeatures(List.of("x"), name -> x);
  }
}
