package io.triad.functions.rollout;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a version did over some time, summed over every instance that served it: requests answered,
 * those it failed, their latencies in buckets, and how its shadow copies compared.
 *
 * @param latency requests by latency bucket ({@link #bucket}), sparse
 */
public record Figures(
    long requests,
    long failures,
    Map<Integer, Long> latency,
    long agree,
    long disagree,
    long shadowErrors,
    int instances) {

  /** The latency buckets: bucket {@code i} holds times up to 0.1 ms × 1.25^i. */
  static final int BUCKETS = 90;

  private static final double FIRST_NANOS = 100_000;
  private static final double GROWTH = 1.25;

  public static final Figures NONE = new Figures(0, 0, Map.of(), 0, 0, 0, 0);

  public Figures {
    latency = Map.copyOf(latency);
  }

  /** The bucket of a request that took {@code nanos}. */
  static int bucket(long nanos) {
    if (nanos <= FIRST_NANOS) {
      return 0;
    }
    int i = (int) Math.ceil(Math.log(nanos / FIRST_NANOS) / Math.log(GROWTH) - 1e-9);
    return Math.min(BUCKETS - 1, i);
  }

  /** The longest time bucket {@code i} holds, in milliseconds. */
  static double bucketMillis(int i) {
    return FIRST_NANOS * Math.pow(GROWTH, i) / 1e6;
  }

  public Figures plus(Figures other) {
    Map<Integer, Long> sum = new TreeMap<>(latency);
    other.latency.forEach((k, v) -> sum.merge(k, v, Long::sum));
    return new Figures(
        requests + other.requests,
        failures + other.failures,
        sum,
        agree + other.agree,
        disagree + other.disagree,
        shadowErrors + other.shadowErrors,
        instances + other.instances);
  }

  /** The share of requests failed, 0 with none. */
  public double errorRate() {
    return requests == 0 ? 0 : (double) failures / requests;
  }

  /**
   * The 99th percentile latency in milliseconds, as the upper edge of its bucket (at most 25% over
   * the true value); 0 with no requests.
   */
  public double p99Millis() {
    long total = latency.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(total * 0.99);
    long seen = 0;
    for (var entry : new TreeMap<>(latency).entrySet()) {
      seen += entry.getValue();
      if (seen >= rank) {
        return bucketMillis(entry.getKey());
      }
    }
    return bucketMillis(BUCKETS - 1);
  }

  /** Shadow copies compared: agreeing, disagreeing and failed. */
  public long compared() {
    return agree + disagree + shadowErrors;
  }

  /** The share of compared shadow copies that agreed, 1 with none. */
  public double agreement() {
    return compared() == 0 ? 1 : (double) agree / compared();
  }

  /** As written in a decision. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("requests", requests);
    out.put("failures", failures);
    out.put("errorRate", round(errorRate()));
    out.put("p99Ms", round(p99Millis()));
    out.put("shadowCompared", compared());
    out.put("shadowAgreement", round(agreement()));
    out.put("instances", instances);
    return out;
  }

  private static double round(double value) {
    return Math.round(value * 1e4) / 1e4;
  }
}
