package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.store.FileSystemBlobStore;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data set larger than the trainer's memory trains: the trainer runs in a child JVM whose heap is
 * capped below the size of the CSV it reads (before, it read the whole object into one array and
 * could not), streams it through a shuffle buffer of a few megabytes, and writes a candidate that
 * learnt the rule behind the data, with every row accounted for.
 */
class StreamedTrainingTest {
  private static final int HEAP_MB = 48;
  private static final int FEATURES = 20;
  private static final int ROWS = 300_000;
  private static final String DATA = "data/wide/train.csv";

  @TempDir Path dir;

  @Test
  void run_should_trainFromTheStream_when_theDataIsLargerThanTheHeap() throws Exception {
    // given a CSV larger than the child's heap
    Path bucket = Files.createDirectories(dir.resolve("bucket"));
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    Path csv = Files.createDirectories(bucket.resolve("data/wide")).resolve("train.csv");
    writeData(csv);
    assertThat(Files.size(csv)).isGreaterThan((long) HEAP_MB << 20);

    // when the trainer runs with a 4 MB shuffle buffer in a JVM of HEAP_MB
    Path log = dir.resolve("trainer.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                TrainerMain.class.getName(),
                "--store",
                store.uri(),
                "--model",
                "wide",
                "--version",
                "v1",
                "--data",
                DATA,
                "--output",
                "candidates/wide/v1/",
                "--epochs",
                "1",
                "--batch-size",
                "256",
                "--learning-rate",
                "0.01",
                "--shuffle-buffer-mb",
                "4",
                "--spool-dir",
                dir.resolve("spool").toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    Process trainer = builder.start();
    boolean ended = trainer.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      trainer.destroyForcibly().waitFor();
    }
    String output = Files.readString(log);

    // then it streamed, and the candidate learnt the rule from every row
    assertThat(ended).as("the trainer ended within 5 minutes: %s", output).isTrue();
    assertThat(trainer.exitValue()).as(output).isZero();
    assertThat(output).contains("streamed through a 4 MB shuffle buffer");
    ObjectMapper json = new ObjectMapper();
    JsonNode report = json.readTree(store.read("candidates/wide/v1/training.json"));
    long trainRows = report.get("trainRows").asLong();
    long holdoutRows = report.get("holdoutRows").asLong();
    assertThat(trainRows + holdoutRows).isEqualTo(ROWS);
    assertThat(report.at("/epochs/0/examples").asLong()).isEqualTo(trainRows);
    assertThat(report.at("/holdout/accuracy").asDouble()).isGreaterThan(0.9);
    String holdout =
        new String(store.read("candidates/wide/v1/holdout.csv"), StandardCharsets.UTF_8);
    assertThat(holdout.lines().count()).isEqualTo(holdoutRows + 1);
    assertThat(store.exists("candidates/wide/v1/manifest.json")).isTrue();
    // the spool went with the run
    try (var left = Files.list(dir.resolve("spool"))) {
      assertThat(left).isEmpty();
    }
  }

  /** Integer features; the class is which third the sum of the first two falls in. */
  private static void writeData(Path csv) throws Exception {
    Random random = new Random(11);
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      for (int f = 0; f < FEATURES; f++) {
        out.write("f" + f + ",");
      }
      out.write("band\n");
      StringBuilder line = new StringBuilder(256);
      for (int r = 0; r < ROWS; r++) {
        line.setLength(0);
        long sum = 0;
        for (int f = 0; f < FEATURES; f++) {
          int value = random.nextInt(2_000_000_001) - 1_000_000_000;
          if (f < 2) {
            sum += value;
          }
          line.append(value).append(',');
        }
        line.append(sum > 600_000_000 ? "high" : sum < -600_000_000 ? "low" : "mid").append('\n');
        out.append(line);
      }
    }
  }
}
