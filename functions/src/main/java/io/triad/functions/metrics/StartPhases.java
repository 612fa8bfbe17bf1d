package io.triad.functions.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a cold start goes: the time spent in each named phase (the Spring context, ONNX Runtime's
 * native load, the SDK client, the store reads, the model's session, the priming inference, the
 * first event) from the process's start until {@link #report} is called once, at the end of the
 * first answered event. A dotted name is a part of the phase before its dot ({@code
 * priming.session} is in {@code priming}). After the report nothing is recorded: {@link #begin}
 * answers 0 and {@link #end} ignores it, one volatile read each.
 */
public final class StartPhases {
  private static final Map<String, long[]> SPENT = new LinkedHashMap<>();
  private static final long FIRST_NANOS = System.nanoTime();
  private static final Instant FIRST_WALL = Instant.now();
  private static volatile boolean open = true;

  private StartPhases() {}

  /** The start of a phase, to hand to {@link #end}; 0 once the start has been reported. */
  public static long begin() {
    return open ? System.nanoTime() : 0;
  }

  /** Adds the time since {@code began} to {@code phase}. */
  public static void end(String phase, long began) {
    if (began == 0 || !open) {
      return;
    }
    long spent = System.nanoTime() - began;
    synchronized (SPENT) {
      long[] total = SPENT.computeIfAbsent(phase, p -> new long[2]);
      total[0] += spent;
      total[1]++;
    }
  }

  /**
   * The phases so far, in milliseconds, in the order they were first seen, after {@code
   * before-first-phase} (the process's start to the first time this class was used: the JVM, the
   * platform's runtime client and the class loading that led here) and ending with {@code total}
   * (the process's start to now); then stops recording. Empty after the first call.
   */
  public static Map<String, Object> report() {
    if (!open) {
      return Map.of();
    }
    open = false;
    long now = System.nanoTime();
    Map<String, Object> phases = new LinkedHashMap<>();
    Duration beforeFirst =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(started -> Duration.between(started, FIRST_WALL))
            .orElse(Duration.ZERO);
    phases.put("before-first-phase", beforeFirst.toMillis());
    synchronized (SPENT) {
      SPENT.forEach(
          (phase, total) ->
              phases.put(
                  phase,
                  total[1] == 1
                      ? millis(total[0])
                      : Map.of("ms", millis(total[0]), "times", total[1])));
    }
    phases.put("total", beforeFirst.toMillis() + (now - FIRST_NANOS) / 1_000_000);
    return phases;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 100_000.0) / 10.0;
  }
}
