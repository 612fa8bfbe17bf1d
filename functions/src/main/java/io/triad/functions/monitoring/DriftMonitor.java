package io.triad.functions.monitoring;

import io.triad.functions.model.DataProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the drift check on what a version was given and writes its report ({@link DriftReports});
 * each verdict also goes to {@code listener} (the metrics).
 */
public final class DriftMonitor {
  private final DriftReports reports;
  private final Clock clock;
  private final Consumer<DriftCheck.DriftReport> listener;

  public DriftMonitor(
      DriftReports reports, Clock clock, Consumer<DriftCheck.DriftReport> listener) {
    this.reports = reports;
    this.clock = clock;
    this.listener = listener;
  }

  /** Compares {@code served} (from {@code source}) with the version's training data. */
  public List<String> check(
      String model, String version, DataProfile profile, String source, ServedSample served) {
    DriftCheck.DriftReport report =
        DriftCheck.check(model, version, source, Instant.now(clock), profile, served);
    List<String> written = reports.write(report);
    listener.accept(report);
    return written;
  }
}
