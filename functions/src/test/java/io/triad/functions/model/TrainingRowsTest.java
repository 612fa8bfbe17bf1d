package io.triad.functions.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TrainingRowsTest {
  private static final List<String> NAMES = List.of("a", "b");

  @Test
  void ofFeatures_shouldIgnoreHowANumberIsWrittenAndTheLabel() {
    long written = TrainingRows.ofFeatures(NAMES, Map.of("a", "5.1", "b", " 3")::get);
    long rewritten = TrainingRows.ofFeatures(NAMES, Map.of("a", "5.10", "b", "3.0")::get);
    long other = TrainingRows.ofFeatures(NAMES, Map.of("a", "5.2", "b", "3")::get);

    assertThat(rewritten).isEqualTo(written);
    assertThat(other).isNotEqualTo(written);
  }

  @Test
  void heldOut_shouldTakeAboutTheFraction_whateverTheOrder() {
    long held =
        LongStream.range(0, 20_000)
            .map(i -> TrainingRows.ofPicture(Long.toString(i).getBytes()))
            .filter(f -> TrainingRows.heldOut(f, 0.2))
            .count();

    assertThat(held).isBetween(3_800L, 4_200L);
  }

  @Test
  void parse_shouldReadWhatToBytesWrote_andRefuseAnythingElse() {
    TrainingRows rows = TrainingRows.of(new long[] {-1L, 42L, 42L, Long.MIN_VALUE});

    TrainingRows read = TrainingRows.parse(rows.toBytes());

    assertThat(read.size()).isEqualTo(3);
    assertThat(read.contains(-1L) && read.contains(42L) && read.contains(Long.MIN_VALUE)).isTrue();
    assertThat(read.contains(7L)).isFalse();
    assertThatThrownBy(() -> TrainingRows.parse("hello\n".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void read_shouldIgnoreWhatNoTrainerWrote_andNeverHoldAHugeFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path bucket) throws Exception {
    var store = new io.triad.functions.store.FileSystemBlobStore(bucket);
    store.put("models/m/1/training-rows.txt", TrainingRows.of(new long[] {5L}).toBytes());
    store.put("models/m/2/training-rows.txt", "not rows".getBytes());
    java.nio.file.Path huge =
        java.nio.file.Files.createDirectories(bucket.resolve("models/m/3"))
            .resolve("training-rows.txt");
    try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(TrainingRows.MAX_BYTES + 1); // sparse: nothing is written
    }

    assertThat(TrainingRows.read(store, "models/m/1/training-rows.txt"))
        .hasValueSatisfying(rows -> assertThat(rows.contains(5L)).isTrue());
    assertThat(TrainingRows.read(store, "models/m/2/training-rows.txt")).isEmpty();
    assertThat(TrainingRows.read(store, "models/m/3/training-rows.txt")).isEmpty();
    assertThat(TrainingRows.read(store, "models/m/4/training-rows.txt")).isEmpty();
  }
}
