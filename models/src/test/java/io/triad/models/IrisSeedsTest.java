package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.store.FileSystemBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iris with the default settings over five seeds on the stable split (the same held-out rows each
 * time): the mean and spread of held-out accuracy, printed, and each run at least 0.9.
 */
class IrisSeedsTest {
  @TempDir Path bucket;

  @Test
  void train_shouldHoldItsAccuracyAcrossFiveSeeds_onTheSameHeldOutRows() throws Exception {
    FileSystemBlobStore store = IrisBucket.create(bucket);
    ObjectMapper json = new ObjectMapper();
    double[] accuracy = new double[5];
    String holdout = null;
    for (int seed = 1; seed <= accuracy.length; seed++) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      TrainerMain trainer =
          new TrainerMain(
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
              false);
      String output = "candidates/iris/s" + seed + "/";
      int code =
          trainer.run(
              new String[] {
                "--store",
                store.uri().toString(),
                "--model",
                "iris",
                "--version",
                "s" + seed,
                "--data",
                IrisBucket.DATA,
                "--output",
                output,
                "--seed",
                Integer.toString(seed)
              });
      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      accuracy[seed - 1] =
          json.readTree(store.read(output + "training.json")).at("/holdout/accuracy").asDouble();
      String rows = new String(store.read(output + "holdout.csv"), StandardCharsets.UTF_8);
      assertThat(holdout == null || holdout.equals(rows)).as("same held-out rows").isTrue();
      holdout = rows;
    }
    double mean = java.util.Arrays.stream(accuracy).average().orElseThrow();
    double spread =
        Math.sqrt(
            java.util.Arrays.stream(accuracy).map(a -> (a - mean) * (a - mean)).sum()
                / (accuracy.length - 1));
    System.out.printf(
        Locale.ROOT,
        "iris held-out accuracy over seeds 1-5 (%d rows): %s; mean %.4f, sd %.4f%n",
        holdout.lines().count() - 1,
        java.util.Arrays.toString(accuracy),
        mean,
        spread);
    assertThat(java.util.Arrays.stream(accuracy).min().orElseThrow()).isGreaterThanOrEqualTo(0.9);
    assertThat(mean).isGreaterThanOrEqualTo(0.93);
  }
}
