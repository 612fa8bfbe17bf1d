package io.triad.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The W3C trace context rules, with the specification's own examples. */
class TraceContextTest {

  @Test
  void parse_should_readTheSpecificationsExample_when_valid() {
    TraceContext context =
        TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").orElseThrow();
    assertThat(context.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(context.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(context.sampled()).isTrue();
    assertThat(context.traceparent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(
            TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
                .orElseThrow()
                .sampled())
        .isFalse();
  }

  @Test
  void parse_should_refuse_when_theValueBreaksARule() {
    for (String bad :
        new String[] {
          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
          "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
          "",
        }) {
      assertThat(TraceContext.parse(bad)).as(bad).isEmpty();
    }
    assertThat(TraceContext.parse(null)).isEmpty();
    // a later version is read by its first four fields
    assertThat(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later"))
        .isPresent();
  }

  @Test
  void child_should_keepTheTraceAndMakeANewSpan() {
    TraceContext parent = TraceContext.fresh();
    TraceContext child = parent.child();
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(child.spanId()).isNotEqualTo(parent.spanId()).hasSize(16);
    assertThat(TraceContext.parse(child.traceparent())).contains(child);
  }

  @Test
  void bind_should_setTheMetadataAndTheLoggingContext_untilClosed() {
    TraceContext context = TraceContext.fresh();
    assertThat(TraceContext.metadata()).isEmpty();
    TraceContext.Scope scope = TraceContext.bind(context);
    assertThat(TraceContext.metadata()).containsEntry("traceparent", context.traceparent());
    assertThat(org.slf4j.MDC.get("trace_id")).isEqualTo(context.traceId());
    scope.close();
    assertThat(TraceContext.metadata()).isEmpty();
    assertThat(org.slf4j.MDC.get("trace_id")).isNull();
  }
}
