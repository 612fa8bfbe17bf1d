package io.triad.functions.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * This instance's figures per model version, in windows of {@value #WINDOW_MILLIS} ms: what each
 * version it served answered (requests, failures, latency) and how each shadow copy compared. A
 * rollout sums the windows since its alias was written, over every instance ({@link Rollouts}).
 * Counting is a map lookup and a few increments under the version's own lock.
 */
public final class LiveFigures {

  /** The width of one window. */
  public static final long WINDOW_MILLIS = 10_000;

  /** The most windows kept per version (about 5.5 hours of steady traffic); older ones go. */
  static final int MAX_WINDOWS = 2_000;

  private final LongSupplier millis;
  private final Map<String, Versions> models = new ConcurrentHashMap<>();
  private volatile Runnable firstAnswer;

  public LiveFigures(LongSupplier millis) {
    this.millis = millis;
  }

  /** Runs {@code start} once, on the first answer counted (the rollout checks start with it). */
  void onFirstAnswer(Runnable start) {
    this.firstAnswer = start;
  }

  /**
   * A request answered by {@code version} of {@code model} in {@code nanos}; {@code failed} when
   * the answer was a failure of that version.
   */
  public void answered(String model, String version, boolean failed, long nanos) {
    Runnable start = firstAnswer;
    if (start != null) {
      firstAnswer = null;
      start.run();
    }
    window(
        model,
        version,
        w -> {
          w.requests++;
          if (failed) {
            w.failures++;
          }
          w.latency.merge(Figures.bucket(nanos), 1L, Long::sum);
        });
  }

  /** A shadow copy on {@code version}: agree, disagree, error (dropped copies are not counted). */
  public void shadowed(String model, String version, String outcome) {
    switch (outcome) {
      case "agree" -> window(model, version, w -> w.agree++);
      case "disagree" -> window(model, version, w -> w.disagree++);
      case "error" -> window(model, version, w -> w.shadowErrors++);
      default -> {}
    }
  }

  private void window(String model, String version, java.util.function.Consumer<Window> count) {
    Versions versions = models.computeIfAbsent(model, m -> new Versions());
    VersionWindows windows = versions.get(version);
    long start = Math.floorDiv(millis.getAsLong(), WINDOW_MILLIS) * WINDOW_MILLIS;
    synchronized (windows) {
      Window w = windows.byStart.get(start);
      if (w == null) {
        w = new Window(start);
        windows.byStart.put(start, w);
        while (windows.byStart.size() > MAX_WINDOWS) {
          windows.byStart.pollFirstEntry();
        }
      }
      count.accept(w);
      windows.changes++;
    }
  }

  /**
   * The windows of {@code version} of {@code model} that end after {@code sinceMillis}, copied, and
   * how many counts went into them so far (a publisher writes again only when that moved).
   */
  public Snapshot snapshot(String model, String version, long sinceMillis) {
    Versions versions = models.get(model);
    VersionWindows windows = versions == null ? null : versions.byVersion.get(version);
    if (windows == null) {
      return new Snapshot(List.of(), 0);
    }
    synchronized (windows) {
      List<WindowFigures> out = new ArrayList<>();
      for (Window w : windows.byStart.tailMap(sinceMillis - WINDOW_MILLIS, false).values()) {
        out.add(w.figures());
      }
      return new Snapshot(out, windows.changes);
    }
  }

  /** Forgets every version of {@code model} but {@code keep}, and windows before {@code since}. */
  public void prune(String model, java.util.Set<String> keep, long sinceMillis) {
    Versions versions = models.get(model);
    if (versions == null) {
      return;
    }
    versions.byVersion.keySet().retainAll(keep);
    for (VersionWindows windows : versions.byVersion.values()) {
      synchronized (windows) {
        windows.byStart.headMap(sinceMillis - WINDOW_MILLIS).clear();
      }
    }
  }

  /** One window's counts, as an instance's figures file holds them. */
  public record WindowFigures(
      long start,
      long requests,
      long failures,
      Map<Integer, Long> latency,
      long agree,
      long disagree,
      long shadowErrors) {
    public WindowFigures {
      latency = latency == null ? Map.of() : Map.copyOf(latency);
    }

    Figures figures() {
      return new Figures(requests, failures, latency, agree, disagree, shadowErrors, 0);
    }
  }

  /** A version's windows and the count of changes made to them. */
  public record Snapshot(List<WindowFigures> windows, long changes) {}

  private static final class Versions {
    private final Map<String, VersionWindows> byVersion = new ConcurrentHashMap<>();

    VersionWindows get(String version) {
      return byVersion.computeIfAbsent(version, v -> new VersionWindows());
    }
  }

  private static final class VersionWindows {
    private final java.util.TreeMap<Long, Window> byStart = new TreeMap<>();
    private long changes;
  }

  private static final class Window {
    private final long start;
    private long requests;
    private long failures;
    private final Map<Integer, Long> latency = new TreeMap<>();
    private long agree;
    private long disagree;
    private long shadowErrors;

    Window(long start) {
      this.start = start;
    }

    WindowFigures figures() {
      return new WindowFigures(start, requests, failures, latency, agree, disagree, shadowErrors);
    }
  }
}
