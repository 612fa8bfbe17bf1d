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

  private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

  private RequestPhases() {}

  /** Starts gathering for the request this thread handles; returns what {@link #end} will. */
  public static long[] begin() {
    long[] nanos = new long[Phase.values().length];
    CURRENT.set(nanos);
    return nanos;
  }

  /** Stops gathering on this thread. */
  public static void end() {
    CURRENT.remove();
  }

  /** Adds {@code nanos} to {@code phase} of the current request. */
  public static void add(Phase phase, long nanos) {
    long[] current = CURRENT.get();
    if (current != null) {
      current[phase.ordinal()] += nanos;
    }
  }

  /** Runs {@code work}, adding its time to {@code phase} of the current request. */
  public static <T> T time(Phase phase, Supplier<T> work) {
    long[] nanos = CURRENT.get();
    if (nanos == null) {
      return work.get();
    }
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      nanos[phase.ordinal()] += System.nanoTime() - start;
    }
  }
}
