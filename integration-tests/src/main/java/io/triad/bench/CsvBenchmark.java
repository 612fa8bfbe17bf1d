package io.triad.bench;

import io.triad.functions.tabular.CsvReader;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The CSV reader on the 100,000-row upload of {@link PipelineBenchmark}: Jackson's CSV parser (the
 * suite's reader) against the hand-written reader it replaced, interleaved, median of 15 rounds
 * after 5 warm-up rounds. Prints rows/s and the ratio; asserts nothing about time.
 *
 * <pre>./mvnw -B -q -DskipTests -Pbench-csv -pl integration-tests -am verify</pre>
 */
public final class CsvBenchmark {
  private static final int WARMUP = 5;
  private static final int ROUNDS = 15;

  public static void main(String[] args) {
    byte[] csv = PipelineBenchmark.bigCsv();
    double[] jackson = new double[ROUNDS];
    double[] legacy = new double[ROUNDS];
    long check = 0;
    for (int r = -WARMUP; r < ROUNDS; r++) {
      long t0 = System.nanoTime();
      long a = readJackson(csv);
      long t1 = System.nanoTime();
      long b = readLegacy(csv);
      long t2 = System.nanoTime();
      if (a != b) {
        throw new IllegalStateException("the readers disagree: " + a + " vs " + b + " fields");
      }
      check += a;
      if (r >= 0) {
        jackson[r] = PipelineBenchmark.ROWS / ((t1 - t0) / 1e9);
        legacy[r] = PipelineBenchmark.ROWS / ((t2 - t1) / 1e9);
      }
    }
    double j = median(jackson);
    double l = median(legacy);
    System.out.printf(
        "%nCSV reading, %,d rows (id + 4 features), median of %d interleaved rounds (%d fields checked)%n",
        PipelineBenchmark.ROWS, ROUNDS, check);
    System.out.printf("| reader | rows/s | vs hand-written |%n|---|---:|---:|%n");
    System.out.printf("| hand-written (before) | %,.0f | 1.00x |%n", l);
    System.out.printf("| Jackson CSV (`CsvReader`, now) | %,.0f | %.2fx |%n", j, j / l);
  }

  private static long readJackson(byte[] csv) {
    long fields = 0;
    try (CsvReader reader = new CsvReader(new ByteArrayInputStream(csv))) {
      for (List<String> row = reader.next(); row != null; row = reader.next()) {
        fields += row.size();
      }
    }
    return fields;
  }

  private static long readLegacy(byte[] csv) {
    long fields = 0;
    try (LegacyCsvReader reader = new LegacyCsvReader(new ByteArrayInputStream(csv))) {
      for (List<String> row = reader.next(); row != null; row = reader.next()) {
        fields += row.size();
      }
    }
    return fields;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
