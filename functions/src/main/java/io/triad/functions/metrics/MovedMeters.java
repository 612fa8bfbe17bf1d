package io.triad.functions.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the core's metrics did since the last look, for runtimes that export them as log lines at
 * the end of each invocation (Embedded Metric Format on AWS, structured logs for log-based metrics
 * on GCP): per counter what it counted, per timer how many it timed and their total milliseconds.
 */
public final class MovedMeters {
  /**
   * One metric that moved.
   *
   * @param timer a timer (its total is milliseconds), else a counter (its total is its count)
   */
  public record Moved(Meter.Id id, boolean timer, double count, double total) {
    /** The mean of what a timer timed, or what a counter counted. */
    public double value() {
      return timer ? total / count : total;
    }
  }

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Map<Meter.Id, double[]> seen = new HashMap<>();

  public MovedMeters(TriadMetrics metrics) {
    metrics.registry().add(meters);
  }

  /** What moved since the last call. */
  public synchronized List<Moved> take() {
    List<Moved> moved = new ArrayList<>();
    for (Meter meter : meters.getMeters()) {
      double[] now = totals(meter);
      if (now == null) {
        continue;
      }
      double[] before = seen.getOrDefault(meter.getId(), new double[2]);
      double count = now[0] - before[0];
      if (count <= 0) {
        continue;
      }
      seen.put(meter.getId(), now);
      moved.add(new Moved(meter.getId(), meter instanceof Timer, count, now[1] - before[1]));
    }
    return moved;
  }

  /** {count, total}: a counter's count twice, a timer's count and total milliseconds. */
  private static double[] totals(Meter meter) {
    if (meter instanceof Counter counter) {
      return new double[] {counter.count(), counter.count()};
    }
    if (meter instanceof Timer timer) {
      return new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)};
    }
    return null;
  }
}
