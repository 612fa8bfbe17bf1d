package io.triad.bench;

import io.triad.bench.PipelineBenchmark.Percentiles;
import java.util.Map;

/**
 * What one child-JVM start gave: process launch to the first answered request, warm latency per
 * request kind (empty for a start that only times the first answer), the child's peak RSS, and
 * upload throughput where the start measured one (NaN otherwise).
 */
public record Sample(
    long firstAnswerMs,
    Map<String, Percentiles> warm,
    long peakRssKib,
    double uploadRowsPerSecond) {

  public static Sample of(long firstAnswerMs, Map<String, Percentiles> warm, long peakRssKib) {
    return new Sample(firstAnswerMs, Map.copyOf(warm), peakRssKib, Double.NaN);
  }

  Sample withUpload(double rowsPerSecond) {
    return new Sample(firstAnswerMs, warm, peakRssKib, rowsPerSecond);
  }

  /** Warm figures measured elsewhere (the child's own report), in microseconds. */
  public static Percentiles micros(double p50, double p99) {
    return new Percentiles(p50, p99);
  }
}
