package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.layout.BucketLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer killed mid-run (a spot machine taken back): the real trainer in a child JVM is killed
 * by its PID once it has checkpointed a few epochs, run again on the same output, and resumes from
 * its checkpoint; its exported model then answers the held-out rows as an uninterrupted run with
 * the same seed does, within 1e-6.
 */
class PreemptionTest {
  private static final String DATA = "data/blobs.csv";
  private static final int ROWS = 24_000;
  private static final int EPOCHS = 8;

  @TempDir Path bucket;

  /** Three overlapping clusters in four features: a few hundred milliseconds an epoch. */
  private static String blobs() {
    Random random = new Random(7);
    StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
    for (int i = 0; i < ROWS; i++) {
      int label = i % 3;
      for (int f = 0; f < 4; f++) {
        csv.append(
            String.format(java.util.Locale.ROOT, "%.4f,", label * 0.8 + random.nextGaussian()));
      }
      csv.append("k").append(label).append('\n');
    }
    return csv.toString();
  }

  private String[] args(FileSystemBlobStore store, String output) {
    return new String[] {
      "--store",
      store.uri(),
      "--model",
      "blobs",
      "--version",
      "v1",
      "--data",
      DATA,
      "--output",
      output,
      "--epochs",
      Integer.toString(EPOCHS),
      "--devices",
      "cpu"
    };
  }

  @Test
  void killedTrainer_should_resumeFromItsCheckpoint_andExportWhatAnUninterruptedRunExports()
      throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    store.put(DATA, blobs().getBytes(StandardCharsets.UTF_8));
    String interrupted = "candidates/blobs/interrupted/";
    String whole = "candidates/blobs/whole/";

    // given a trainer in its own JVM, killed once it has finished two epochs
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrainerMain.class.getName());
    command.addAll(List.of(args(store, interrupted)));
    Path log = Files.createTempFile(bucket.getParent(), "trainer", ".log");
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String checkpoint = interrupted + BucketLayout.CHECKPOINT_FILE;
    int killedAfter;
    try {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
      killedAfter = 0;
      while (killedAfter < 2) {
        assertThat(Instant.now()).as(Files.readString(log)).isBefore(deadline);
        assertThat(child.isAlive())
            .as("the trainer ended before it was killed: %s", Files.readString(log))
            .isTrue();
        if (store.exists(checkpoint)) {
          killedAfter = Checkpoint.decode(store.read(checkpoint)).epoch();
        }
        Thread.sleep(20);
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(store.exists(interrupted + BucketLayout.MANIFEST_FILE)).isFalse();
    assertThat(killedAfter).isLessThan(EPOCHS);

    // when it runs again on the same output, and another run goes uninterrupted
    ByteArrayOutputStream resumedLog = new ByteArrayOutputStream();
    TrainerMain again =
        new TrainerMain(
            new PrintStream(resumedLog, true, StandardCharsets.UTF_8), Clock.systemUTC(), false);
    assertThat(again.run(args(store, interrupted))).as(resumedLog.toString()).isZero();
    ByteArrayOutputStream wholeLog = new ByteArrayOutputStream();
    assertThat(
            new TrainerMain(
                    new PrintStream(wholeLog, true, StandardCharsets.UTF_8),
                    Clock.systemUTC(),
                    false)
                .run(args(store, whole)))
        .as(wholeLog.toString())
        .isZero();

    // then the second run resumed, and both export the same model
    assertThat(resumedLog.toString()).contains("resuming after epoch");
    assertThat(wholeLog.toString()).doesNotContain("resuming");
    CsvTable holdout =
        CsvTable.parse(
            new String(store.read(whole + BucketLayout.HOLDOUT_FILE), StandardCharsets.UTF_8),
            "holdout.csv");
    float[][] rows = TabularDataset.of(holdout, null, "holdout.csv").x();
    OnnxScorer scorer = new OnnxScorer(OrtEnvironment.getEnvironment());
    float[][] resumed = scorer.score(store.read(interrupted + BucketLayout.MODEL_FILE), rows);
    float[][] uninterrupted = scorer.score(store.read(whole + BucketLayout.MODEL_FILE), rows);
    assertThat(resumed.length).isEqualTo(uninterrupted.length).isPositive();
    double worst = 0;
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < resumed[r].length; c++) {
        worst = Math.max(worst, Math.abs(resumed[r][c] - uninterrupted[r][c]));
      }
    }
    assertThat(worst)
        .as("largest difference on %d held-out rows", rows.length)
        .isLessThanOrEqualTo(1e-6);
  }
}
