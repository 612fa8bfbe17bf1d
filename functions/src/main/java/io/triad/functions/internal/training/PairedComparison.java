package io.triad.functions.internal.training;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Candidate and served version scored on the same rows, row by row: the rows only the candidate got
 * right ({@code candidateOnly}) and only the served version got right ({@code servedOnly}) are all
 * that tell them apart. McNemar's exact test on those decides whether the candidate is
 * significantly worse; the accuracy difference comes with a paired (Wald) interval.
 *
 * @param rows the rows both were scored on
 */
public record PairedComparison(int rows, int candidateOnly, int servedOnly) {

  /** Compares per-row correctness ({@code true} bits: the row was predicted right). */
  public static PairedComparison of(BitSet candidate, BitSet served, int rows) {
    BitSet onlyCandidate = (BitSet) candidate.clone();
    onlyCandidate.andNot(served);
    BitSet onlyServed = (BitSet) served.clone();
    onlyServed.andNot(candidate);
    return new PairedComparison(rows, onlyCandidate.cardinality(), onlyServed.cardinality());
  }

  /** Candidate accuracy minus served accuracy. */
  public double difference() {
    return rows == 0 ? 0 : (double) (candidateOnly - servedOnly) / rows;
  }

  /**
   * The one-sided exact p-value that the candidate is worse: the chance of at most {@code
   * candidateOnly} of the {@code candidateOnly + servedOnly} discordant rows going its way if both
   * were equally good.
   */
  public double pWorse() {
    int discordant = candidateOnly + servedOnly;
    if (discordant == 0) {
      return 1.0;
    }
    // sum over k <= candidateOnly of C(n, k) / 2^n, in logs to stay finite for large n
    double[] logFactorial = new double[discordant + 1];
    for (int i = 2; i <= discordant; i++) {
      logFactorial[i] = logFactorial[i - 1] + Math.log(i);
    }
    double total = 0;
    for (int k = 0; k <= candidateOnly; k++) {
      double logChoose = logFactorial[discordant] - logFactorial[k] - logFactorial[discordant - k];
      total += Math.exp(logChoose - discordant * Math.log(2));
    }
    return Math.min(1.0, total);
  }

  /** Whether the candidate is worse with at least {@code confidence} (0.95 by default). */
  public boolean significantlyWorse(double confidence) {
    return servedOnly > candidateOnly && pWorse() < 1 - confidence;
  }

  /** The two-sided {@code confidence} interval of {@link #difference()}. */
  public double[] interval(double confidence) {
    if (rows == 0) {
      return new double[] {0, 0};
    }
    double n = rows;
    double b = candidateOnly;
    double c = servedOnly;
    double variance = Math.max(0, (b + c) - (b - c) * (b - c) / n) / (n * n);
    double half = normalQuantile(0.5 + confidence / 2) * Math.sqrt(variance);
    return new double[] {difference() - half, difference() + half};
  }

  /** What the decision file records. */
  public Map<String, Object> describe(double confidence) {
    double[] interval = interval(confidence);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("rows", rows);
    body.put("candidateOnlyCorrect", candidateOnly);
    body.put("servedOnlyCorrect", servedOnly);
    body.put("difference", round(difference()));
    body.put("interval", new double[] {round(interval[0]), round(interval[1])});
    body.put("confidence", confidence);
    body.put("pWorse", round(pWorse()));
    return body;
  }

  public String summary(double confidence) {
    double[] interval = interval(confidence);
    return String.format(
        Locale.ROOT,
        "paired on %d rows: candidate alone right on %d, served alone on %d; difference %+.4f"
            + " (%.0f%% interval %+.4f to %+.4f), p(worse) %.4f",
        rows,
        candidateOnly,
        servedOnly,
        difference(),
        confidence * 100,
        interval[0],
        interval[1],
        pWorse());
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }

  /** The standard normal quantile, by bisection on the error function's complement. */
  static double normalQuantile(double p) {
    double low = -10;
    double high = 10;
    for (int i = 0; i < 100; i++) {
      double mid = (low + high) / 2;
      if (normalCdf(mid) < p) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return (low + high) / 2;
  }

  /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error < 1.5e-7). */
  static double normalCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * z);
    double erf =
        1
            - t
                * (0.254829592
                    + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-z * z);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
