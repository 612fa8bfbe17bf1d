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

  /**
   * Compares what the payload log holds of a version ({@code served}, from {@code source}) with its
   * training data; the report goes beside the evaluations' as {@code served-drift-{day}}.
   */
  public DriftCheck.DriftReport checkServed(
      String model,
      String version,
      DataProfile profile,
      String source,
      ServedSample served,
      java.time.LocalDate day) {
    DriftCheck.DriftReport report =
        DriftCheck.check(model, version, source, Instant.now(clock), profile, served);
    reports.writeServed(report, day);
    listener.accept(report);
    return report;
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
