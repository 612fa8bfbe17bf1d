package io.triad.functions.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The start's phases, recorded until the one report. The only test in this JVM that reports (the
 * AWS entry point is the one caller in production), so it sees the recorder open.
 */
class StartPhasesTest {

  @Test
  @SuppressWarnings("unchecked")
  void report_should_listEachPhaseOnceAndThenStopRecording() throws InterruptedException {
    // given a phase run once and one run twice
    long once = StartPhases.begin();
    Thread.sleep(20);
    StartPhases.end("test.once", once);
    for (int i = 0; i < 2; i++) {
      long twice = StartPhases.begin();
      Thread.sleep(5);
      StartPhases.end("test.twice", twice);
    }

    // when
    Map<String, Object> report = StartPhases.report();

    // then: milliseconds, the process's start first and the total last
    assertThat(report).containsKeys("before-first-phase", "test.once", "test.twice", "total");
    assertThat((Double) report.get("test.once")).isGreaterThanOrEqualTo(20.0);
    Map<String, Object> twice = (Map<String, Object>) report.get("test.twice");
    assertThat(twice).containsEntry("times", 2L);
    assertThat((Double) twice.get("ms")).isGreaterThanOrEqualTo(10.0);
    assertThat((Long) report.get("total")).isGreaterThanOrEqualTo(30L);

    // and nothing is recorded or reported after the report
    assertThat(StartPhases.begin()).isZero();
    StartPhases.end("test.late", System.nanoTime());
    assertThat(StartPhases.report()).isEmpty();
  }
}
