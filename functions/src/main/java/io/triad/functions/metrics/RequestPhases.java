package io.triad.functions.metrics;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The time an HTTP request spends in each phase, gathered on the thread that handles it: the HTTP
 * API opens it ({@link #begin}), the functions add to it as they run ({@link #time}), and {@link
 * TriadMetrics#request} records what it gathered. Outside a request (an upload, a test) adding does
 * nothing.
 */
public final class RequestPhases {

  /** What a request does, in order. */
  public enum Phase {
    /** The body read as JSON. */
    DECODE,
    /** Records or pictures turned into tensors ({@code :predict}). */
    PREPROCESS,
    /** Tensors checked and the session run. */
    PREDICT,
    /** Outputs turned into labels and the answer written as JSON. */
    POSTPROCESS;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final ThreadLocal<Gathered> CURRENT = new ThreadLocal<>();

  private RequestPhases() {}

  /**
   * What one request spent in each phase: the total, and when the phase first began and last ended
   * ({@link System#nanoTime()}), which a trace draws as the phase's span.
   */
  public static final class Gathered {
    private final long[] spent = new long[Phase.values().length];
    private final long[] first = new long[Phase.values().length];
    private final long[] last = new long[Phase.values().length];
    private final boolean[] ran = new boolean[Phase.values().length];

    void add(Phase phase, long start, long end) {
      int i = phase.ordinal();
      if (!ran[i]) {
        first[i] = start;
        ran[i] = true;
      }
      spent[i] += end - start;
      last[i] = end;
    }

    /** Nanoseconds spent in {@code phase}; 0 when it did not run. */
    public long spent(Phase phase) {
      return spent[phase.ordinal()];
    }

    /**
     * When {@code phase} first began ({@link System#nanoTime()}); meaningless when it did not run.
     */
    public long began(Phase phase) {
      return first[phase.ordinal()];
    }

    /** When {@code phase} last ended ({@link System#nanoTime()}). */
    public long ended(Phase phase) {
      return last[phase.ordinal()];
    }

    /** Whether {@code phase} ran. */
    public boolean ran(Phase phase) {
      return ran[phase.ordinal()];
    }
  }

  /** Starts gathering for the request this thread handles; returns what {@link #end} will. */
  public static Gathered begin() {
    Gathered gathered = new Gathered();
    CURRENT.set(gathered);
    return gathered;
  }

  /** Stops gathering on this thread. */
  public static void end() {
    CURRENT.remove();
  }

  /** Adds the time from {@code start} to now ({@link System#nanoTime()}) to {@code phase}. */
  public static void since(Phase phase, long start) {
    Gathered current = CURRENT.get();
    if (current != null) {
      current.add(phase, start, System.nanoTime());
    }
  }

  /** Runs {@code work}, adding its time to {@code phase} of the current request. */
  public static <T> T time(Phase phase, Supplier<T> work) {
    Gathered current = CURRENT.get();
    if (current == null) {
      return work.get();
    }
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      current.add(phase, start, System.nanoTime());
    }
  }
}
