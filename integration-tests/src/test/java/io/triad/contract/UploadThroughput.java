package io.triad.contract;

import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For the all-runtimes benchmark: rows a second through each cloud adapter's upload path, driven as
 * the contract suite drives it (the object put into the runtime's own emulated bucket, then
 * announced as the platform announces it: an S3 notification to the S3 role's handler, Event Grid
 * to {@code onObjectCreated} through the worker's injector, a finalize CloudEvent to {@code
 * UploadEntry} under the Functions Framework). Each runtime serves the benchmark's trained iris
 * model. Timed from the announcement to its return, which the clouds make only once the output is
 * published; the upload's own PUT is not timed.
 */
public final class UploadThroughput {
  /** The name the adapters' event fixtures carry (the Event Grid subject names its container). */
  private static final String CONTAINER = "triad";

  private UploadThroughput() {}

  /**
   * Median rows/s of {@code rounds} uploads of {@code csv} per runtime (after one untimed), by
   * runtime name.
   */
  public static Map<String, Double> measure(
      Path work, BlobStore model, String version, byte[] csv, int rows, int rounds)
      throws Exception {
    Map<String, Double> rowsPerSecond = new LinkedHashMap<>();
    // the models' alias is read again this soon after a move, so the trained version serves within
    // a second
    System.setProperty("triad.alias-refresh", "200ms");
    List<RuntimeUnderTest> runtimes = new java.util.ArrayList<>();
    try {
      runtimes.add(new AwsUnderTest(Files.createDirectories(work.resolve("aws")), CONTAINER));
      runtimes.add(new AzureUnderTest(Files.createDirectories(work.resolve("azure")), CONTAINER));
      runtimes.add(new GcpUnderTest(CONTAINER));
      for (RuntimeUnderTest runtime : runtimes) {
        publish(model, version, runtime.bucket());
      }
      Thread.sleep(1_000);
      for (RuntimeUnderTest runtime : runtimes) {
        rowsPerSecond.put(runtime.name(), measure(runtime, csv, rows, rounds));
      }
    } finally {
      System.clearProperty("triad.alias-refresh");
      for (RuntimeUnderTest runtime : runtimes) {
        runtime.close();
      }
    }
    return rowsPerSecond;
  }

  private static double measure(RuntimeUnderTest runtime, byte[] csv, int rows, int rounds)
      throws Exception {
    double[] rates = new double[rounds];
    for (int r = -1; r < rounds; r++) {
      String key = "incoming/iris/throughput-" + (r + 1) + ".csv";
      runtime.bucket().put(key, csv);
      long t0 = System.nanoTime();
      runtime.announce(key);
      long nanos = System.nanoTime() - t0;
      if (runtime
          .bucket()
          .head("predictions/iris/throughput-" + (r + 1) + ".csv.jsonl")
          .isEmpty()) {
        throw new IllegalStateException(runtime.name() + " wrote no prediction for " + key);
      }
      if (r >= 0) {
        rates[r] = rows / (nanos / 1e9);
      }
    }
    Arrays.sort(rates);
    return rates[rounds / 2];
  }

  private static void publish(BlobStore from, String version, BlobStore to) {
    to.put(
        BucketLayout.modelFile("iris", version),
        from.read(BucketLayout.modelFile("iris", version)));
    to.put(
        BucketLayout.manifest("iris", version), from.read(BucketLayout.manifest("iris", version)));
    to.put(
        BucketLayout.alias("iris", BucketLayout.PRODUCTION),
        version.getBytes(StandardCharsets.UTF_8));
  }
}
