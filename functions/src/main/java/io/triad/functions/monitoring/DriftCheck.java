package io.triad.functions.monitoring;

import io.triad.functions.model.DataProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether what a version was given drifted from what it trained on, per feature, with the defaults
 * Evidently uses: when the reference is at most {@value #SMALL_REFERENCE} rows, the two-sample
 * Kolmogorov-Smirnov test for a number and the chi-squared test for a category, drift at p &lt;
 * {@value #P_VALUE}; above that, the Wasserstein distance normalized by the reference's standard
 * deviation for a number and the Jensen-Shannon distance for a category, drift at &gt; {@value
 * #DISTANCE}. The population stability index is shown beside each (10 quantile bins of the
 * reference, or its categories). The data set drifted when at least {@value #DRIFT_SHARE} of its
 * features did.
 */
public final class DriftCheck {
  public static final int SMALL_REFERENCE = 1000;
  public static final double P_VALUE = 0.05;
  public static final double DISTANCE = 0.1;
  public static final double DRIFT_SHARE = 0.5;
  private static final double EPSILON = 1e-4;

  private DriftCheck() {}

  /** One feature's verdict. */
  public record FeatureDrift(
      String feature,
      String kind,
      String test,
      double score,
      double threshold,
      boolean drifted,
      double psi,
      long referenceRows,
      long servedRows) {}

  /**
   * The whole comparison.
   *
   * @param source what the served rows came from (a labelled upload, a day of payload logs)
   */
  public record DriftReport(
      String model,
      String version,
      Instant created,
      String source,
      long rows,
      boolean drifted,
      double driftedShare,
      List<FeatureDrift> features) {}

  /** Compares {@code served} with {@code profile}; features with no served value are left out. */
  public static DriftReport check(
      String model,
      String version,
      String source,
      Instant created,
      DataProfile profile,
      ServedSample served) {
    List<FeatureDrift> features = new ArrayList<>();
    profile
        .numeric()
        .forEach(
            (name, reference) -> {
              List<Double> values = served.numeric(name);
              if (!values.isEmpty() && !reference.sample().isEmpty()) {
                features.add(numeric(name, reference, values));
              }
            });
    profile
        .categorical()
        .forEach(
            (name, reference) -> {
              Map<String, Long> counts = served.categorical(name);
              if (!counts.isEmpty()) {
                features.add(categorical(name, "categorical", reference, counts, profile.rows()));
              }
            });
    if (served.label() != null && !served.categorical(served.label()).isEmpty()) {
      features.add(
          categorical(
              served.label(),
              "label",
              profile.classes(),
              served.categorical(served.label()),
              profile.rows()));
    }
    long drifted = features.stream().filter(FeatureDrift::drifted).count();
    double share = features.isEmpty() ? 0 : (double) drifted / features.size();
    return new DriftReport(
        model,
        version,
        created,
        source,
        served.rows(),
        !features.isEmpty() && share >= DRIFT_SHARE,
        share,
        List.copyOf(features));
  }

  static FeatureDrift numeric(
      String name, DataProfile.NumericProfile reference, List<Double> served) {
    double[] ref = toArray(reference.sample());
    double[] cur = toArray(served);
    double psi = psi(quantileBins(ref, 10), ref, cur);
    if (reference.count() <= SMALL_REFERENCE && reference.complete()) {
      double p = ksPValue(ref, cur);
      return new FeatureDrift(
          name,
          "numeric",
          "K-S p-value",
          p,
          P_VALUE,
          p < P_VALUE,
          psi,
          reference.count(),
          cur.length);
    }
    double std = reference.std() > 0 ? reference.std() : 1e-12;
    double distance = wasserstein(ref, cur) / std;
    return new FeatureDrift(
        name,
        "numeric",
        "Wasserstein distance (normed)",
        distance,
        DISTANCE,
        distance > DISTANCE,
        psi,
        reference.count(),
        cur.length);
  }

  static FeatureDrift categorical(
      String name, String kind, Map<String, Long> reference, Map<String, Long> served, long rows) {
    Set<String> values = new LinkedHashSet<>(reference.keySet());
    values.addAll(served.keySet());
    long refTotal = reference.values().stream().mapToLong(Long::longValue).sum();
    long curTotal = served.values().stream().mapToLong(Long::longValue).sum();
    double[] expected = new double[values.size()];
    double[] actual = new double[values.size()];
    int i = 0;
    for (String value : values) {
      expected[i] = Math.max(reference.getOrDefault(value, 0L), 0) / (double) Math.max(1, refTotal);
      actual[i] = served.getOrDefault(value, 0L) / (double) Math.max(1, curTotal);
      i++;
    }
    double psi = psi(expected, actual);
    if (refTotal <= SMALL_REFERENCE) {
      double p = chiSquaredPValue(expected, served, values, curTotal);
      return new FeatureDrift(
          name, kind, "chi-squared p-value", p, P_VALUE, p < P_VALUE, psi, refTotal, curTotal);
    }
    double distance = jensenShannon(expected, actual);
    return new FeatureDrift(
        name,
        kind,
        "Jensen-Shannon distance",
        distance,
        DISTANCE,
        distance > DISTANCE,
        psi,
        refTotal,
        curTotal);
  }

  /**
   * The two-sample Kolmogorov-Smirnov test's p-value: the largest gap between the two empirical
   * distribution functions, and the asymptotic Kolmogorov distribution with the effective sample
   * size (Stephens' correction).
   */
  static double ksPValue(double[] a, double[] b) {
    double d = ksStatistic(a, b);
    double ne = (double) a.length * b.length / (a.length + b.length);
    double sqrt = Math.sqrt(ne);
    double lambda = (sqrt + 0.12 + 0.11 / sqrt) * d;
    return kolmogorovQ(lambda);
  }

  /** Both arrays sorted. */
  static double ksStatistic(double[] a, double[] b) {
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < a.length && j < b.length) {
      double x = Math.min(a[i], b[j]);
      while (i < a.length && a[i] <= x) {
        i++;
      }
      while (j < b.length && b[j] <= x) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
    }
    return d;
  }

  /** P(K &gt; lambda) for the Kolmogorov distribution. */
  static double kolmogorovQ(double lambda) {
    if (lambda < 1e-3) {
      return 1;
    }
    double sum = 0;
    double sign = 1;
    for (int k = 1; k <= 100; k++) {
      double term = sign * Math.exp(-2 * k * k * lambda * lambda);
      sum += term;
      if (Math.abs(term) < 1e-12) {
        break;
      }
      sign = -sign;
    }
    return Math.max(0, Math.min(1, 2 * sum));
  }

  /** The first Wasserstein distance between two samples, both sorted. */
  static double wasserstein(double[] a, double[] b) {
    // integrate |F_a - F_b| over the merged support
    double[] all = new double[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    java.util.Arrays.sort(all);
    double distance = 0;
    int i = 0;
    int j = 0;
    for (int k = 0; k < all.length - 1; k++) {
      double x = all[k];
      while (i < a.length && a[i] <= x) {
        i++;
      }
      while (j < b.length && b[j] <= x) {
        j++;
      }
      distance += Math.abs((double) i / a.length - (double) j / b.length) * (all[k + 1] - x);
    }
    return distance;
  }

  /**
   * The chi-squared goodness-of-fit p-value of the served counts against the reference's
   * frequencies; a value the reference never had gets a frequency of half a row in it.
   */
  static double chiSquaredPValue(
      double[] expectedShare, Map<String, Long> served, Set<String> values, long total) {
    double statistic = 0;
    int i = 0;
    double floor = 0.5 / Math.max(1, total * 1000.0);
    double sumShare = 0;
    for (double share : expectedShare) {
      sumShare += Math.max(share, floor);
    }
    for (String value : values) {
      double expected = Math.max(expectedShare[i], floor) / sumShare * total;
      double observed = served.getOrDefault(value, 0L);
      statistic += (observed - expected) * (observed - expected) / expected;
      i++;
    }
    int freedom = Math.max(1, values.size() - 1);
    return upperGamma(freedom / 2.0, statistic / 2.0);
  }

  /** The Jensen-Shannon distance (natural logarithm) between two distributions. */
  static double jensenShannon(double[] p, double[] q) {
    double divergence = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        divergence += 0.5 * p[i] * Math.log(p[i] / m);
      }
      if (q[i] > 0) {
        divergence += 0.5 * q[i] * Math.log(q[i] / m);
      }
    }
    return Math.sqrt(Math.max(0, divergence));
  }

  /** The population stability index of two distributions over the same bins. */
  static double psi(double[] expected, double[] actual) {
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(expected[i], EPSILON);
      double a = Math.max(actual[i], EPSILON);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  private static double psi(double[] edges, double[] reference, double[] served) {
    return psi(shares(edges, reference), shares(edges, served));
  }

  /** Inner edges of {@code bins} bins holding equal shares of {@code sorted}. */
  static double[] quantileBins(double[] sorted, int bins) {
    double[] edges = new double[bins - 1];
    for (int b = 1; b < bins; b++) {
      edges[b - 1] =
          sorted[(int) Math.min(sorted.length - 1, Math.floor(b * sorted.length / (double) bins))];
    }
    return edges;
  }

  private static double[] shares(double[] edges, double[] values) {
    double[] shares = new double[edges.length + 1];
    for (double v : values) {
      int bin = 0;
      while (bin < edges.length && v >= edges[bin]) {
        bin++;
      }
      shares[bin]++;
    }
    for (int i = 0; i < shares.length; i++) {
      shares[i] /= Math.max(1, values.length);
    }
    return shares;
  }

  /** Q(s, x): the regularized upper incomplete gamma function (series or continued fraction). */
  static double upperGamma(double s, double x) {
    if (x <= 0) {
      return 1;
    }
    if (x < s + 1) {
      double sum = 1 / s;
      double term = sum;
      for (int n = 1; n < 500; n++) {
        term *= x / (s + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-15) {
          break;
        }
      }
      return Math.max(0, 1 - sum * Math.exp(-x + s * Math.log(x) - logGamma(s)));
    }
    double b = x + 1 - s;
    double c = 1 / 1e-300;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 500; i++) {
      double an = -i * (i - s);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < 1e-300) {
        d = 1e-300;
      }
      c = b + an / c;
      if (Math.abs(c) < 1e-300) {
        c = 1e-300;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-15) {
        break;
      }
    }
    return Math.min(1, Math.exp(-x + s * Math.log(x) - logGamma(s)) * h);
  }

  /** ln Γ(x), Lanczos. */
  static double logGamma(double x) {
    double[] g = {
      676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
      12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
    };
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = 0.99999999999980993;
    double t = x + 7.5;
    for (int i = 0; i < g.length; i++) {
      a += g[i] / (x + i + 1);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  private static double[] toArray(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** The verdicts by feature, for the metric and the log. */
  public static Map<String, Boolean> verdicts(DriftReport report) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    report.features().forEach(f -> out.put(f.feature(), f.drifted()));
    return out;
  }
}
