package io.triad.models;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training as it goes, with the time spent and an estimate of the time left: on a terminal a
 * bar redrawn in place (epoch, step, loss, rate); when the output is a file or a pipe (the local
 * runtime reads it and shows it on its console), a plain step line every few seconds and one line
 * per epoch, so logs stay readable and a long epoch is never silent.
 */
public final class TrainingProgress {
  private static final int BAR = 30;
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final int epochs;
  private final long started = System.nanoTime();
  private long lastDraw;
  private String devices = "";

  public TrainingProgress(PrintStream out, boolean terminal, int epochs) {
    this.out = out;
    this.terminal = terminal;
    this.epochs = epochs;
    // a terminal's bar shows at the first step; plain lines start after the first interval
    this.lastDraw = terminal ? started - PLAIN_EVERY_NANOS : started;
  }

  /**
   * A terminal when the JVM has a console; the trainer as a child process or a batch job has none.
   */
  public static TrainingProgress forStderr(PrintStream err, int epochs) {
    return new TrainingProgress(err, System.console() != null, epochs);
  }

  /** After each optimizer step; redraws at most ten times a second. */
  public void step(int epoch, int step, int steps, double loss, double examplesPerSecond) {
    long now = System.nanoTime();
    if (!terminal) {
      if (step < steps && now - lastDraw >= PLAIN_EVERY_NANOS) {
        lastDraw = now;
        out.printf(
            Locale.ROOT,
            "trainer: epoch %d/%d step %d/%d loss=%.4f %s%n",
            epoch,
            epochs,
            step,
            steps,
            loss,
            timing(now, (epoch - 1 + (double) step / steps) / epochs));
        out.flush();
      }
      return;
    }
    if (step < steps && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) ((long) BAR * step / steps);
    out.printf(
        Locale.ROOT,
        "\rtrainer: epoch %d/%d [%s%s] step %d/%d loss %.4f %,.0f examples/s %s ",
        epoch,
        epochs,
        "=".repeat(filled),
        " ".repeat(BAR - filled),
        step,
        steps,
        loss,
        examplesPerSecond,
        timing(now, (epoch - 1 + (double) step / steps) / epochs));
    out.flush();
  }

  /** "elapsed m:ss eta m:ss" for a run {@code done} (0 to 1) of the way through. */
  private String timing(long now, double done) {
    long elapsed = (now - started) / 1_000_000_000L;
    String eta = done <= 0 ? "?" : clock(Math.round(elapsed * (1 - Math.min(done, 1.0)) / done));
    return "elapsed " + clock(elapsed) + " eta " + eta;
  }

  private static String clock(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }

  /** Says once what the job trains on; each epoch line names it again. */
  public void devices(java.util.List<String> names) {
    devices = String.join(",", names);
    out.printf(
        Locale.ROOT,
        "trainer: training on %s%s%n",
        devices,
        names.size() > 1 ? " (each batch split across them)" : "");
    out.flush();
  }

  public void epoch(EpochStats stats) {
    // on a terminal: back to the line start and clear the bar (ANSI erase-in-line) before the line
    out.printf(
        Locale.ROOT,
        "%strainer: epoch %d/%d loss=%.4f accuracy=%.4f (%d ms%s) %s%n",
        terminal ? "\r\033[K" : "",
        stats.epoch(),
        epochs,
        stats.loss(),
        stats.accuracy(),
        stats.millis(),
        stats.examples() == 0
            ? ""
            : String.format(
                Locale.ROOT,
                ", %,.0f examples/s%s",
                stats.examplesPerSecond(),
                devices.isEmpty() ? "" : " on " + devices),
        timing(System.nanoTime(), (double) stats.epoch() / epochs));
    out.flush();
  }
}
