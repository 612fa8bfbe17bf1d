package io.triad.models;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training as it goes: on a terminal a bar redrawn in place (epoch, step, loss, rate); when
 * the output is a file or a pipe, one plain line per epoch, so logs stay readable.
 */
public final class TrainingProgress {
  private static final int BAR = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final int epochs;
  private long lastDraw;

  public TrainingProgress(PrintStream out, boolean terminal, int epochs) {
    this.out = out;
    this.terminal = terminal;
    this.epochs = epochs;
  }

  /**
   * A terminal when the JVM has a console; the trainer as a child process or a batch job has none.
   */
  public static TrainingProgress forStderr(PrintStream err, int epochs) {
    return new TrainingProgress(err, System.console() != null, epochs);
  }

  /** After each optimizer step; redraws at most ten times a second. */
  public void step(int epoch, int step, int steps, double loss, double examplesPerSecond) {
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    if (step < steps && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) ((long) BAR * step / steps);
    out.printf(
        Locale.ROOT,
        "\rtrainer: epoch %d/%d [%s%s] step %d/%d loss %.4f %,.0f examples/s ",
        epoch,
        epochs,
        "=".repeat(filled),
        " ".repeat(BAR - filled),
        step,
        steps,
        loss,
        examplesPerSecond);
    out.flush();
  }

  public void epoch(EpochStats stats) {
    // on a terminal: back to the line start and clear the bar (ANSI erase-in-line) before the line
    out.printf(
        Locale.ROOT,
        "%strainer: epoch %d/%d loss=%.4f accuracy=%.4f (%d ms)%n",
        terminal ? "\r\033[K" : "",
        stats.epoch(),
        epochs,
        stats.loss(),
        stats.accuracy(),
        stats.millis());
  }
}
