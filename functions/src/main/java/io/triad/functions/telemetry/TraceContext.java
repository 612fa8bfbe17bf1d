package io.triad.functions.telemetry;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C trace context ({@code traceparent}): the trace a piece of work belongs to and the span that
 * stands for it. An HTTP request's comes from its {@code traceparent} header; an upload's from the
 * uploaded object's {@code traceparent} metadata, and the outputs written for the upload carry
 * their own under the same name ({@link #metadata()}), so a trace runs from the uploader through
 * scoring to the output object whether or not spans are exported.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId 16 lower-case hex digits, not all zero
 * @param sampled the caller's sampled flag: an exporter sends only sampled spans
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {
  /** The header, and the name of the object metadata entry. */
  public static final String TRACEPARENT = "traceparent";

  private static final HexFormat HEX = HexFormat.of();

  /** version-traceid-parentid-flags; version ff is invalid, an all-zero trace or parent too. */
  private static final Pattern TRACE =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

  private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

  public TraceContext {
    if (!isId(traceId, 32) || !isId(spanId, 16)) {
      throw new IllegalArgumentException("not a trace id and span id: " + traceId + ", " + spanId);
    }
  }

  /**
   * The context in a {@code traceparent} value, or empty when it is missing or not valid (an
   * unknown future version is read by its first four fields, as the specification asks).
   */
  public static Optional<TraceContext> parse(String traceparent) {
    if (traceparent == null) {
      return Optional.empty();
    }
    var m = TRACE.matcher(traceparent.trim());
    if (!m.matches()
        || m.group(1).equals("ff")
        || (m.group(1).equals("00") && m.group(5) != null)
        || zero(m.group(2))
        || zero(m.group(3))) {
      return Optional.empty();
    }
    boolean sampled = (HexFormat.fromHexDigits(m.group(4)) & 1) == 1;
    return Optional.of(new TraceContext(m.group(2), m.group(3), sampled));
  }

  /** A new trace: random ids, sampled. */
  public static TraceContext fresh() {
    return new TraceContext(randomHex(2), randomHex(1), true);
  }

  /** A new span in this trace, with this one's sampled flag. */
  public TraceContext child() {
    return new TraceContext(traceId, randomHex(1), sampled);
  }

  /** The {@code traceparent} value: version 00. */
  public String traceparent() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  /** The object metadata that carries this context. */
  public Map<String, String> asMetadata() {
    return Map.of(TRACEPARENT, traceparent());
  }

  /**
   * The metadata for an object written for the work this thread does now ({@link #bind}), or none
   * outside such work.
   */
  public static Map<String, String> metadata() {
    TraceContext current = CURRENT.get();
    return current == null ? Map.of() : current.asMetadata();
  }

  /** The context of the work this thread does now, if any. */
  public static Optional<TraceContext> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Makes {@code context} this thread's until the returned scope closes; the logging context
   * carries its ids ({@code trace_id}, {@code span_id}) meanwhile.
   */
  public static Scope bind(TraceContext context) {
    TraceContext before = CURRENT.get();
    CURRENT.set(context);
    org.slf4j.MDC.put("trace_id", context.traceId);
    org.slf4j.MDC.put("span_id", context.spanId);
    return () -> {
      if (before == null) {
        CURRENT.remove();
        org.slf4j.MDC.remove("trace_id");
        org.slf4j.MDC.remove("span_id");
      } else {
        CURRENT.set(before);
        org.slf4j.MDC.put("trace_id", before.traceId);
        org.slf4j.MDC.put("span_id", before.spanId);
      }
    };
  }

  /** What {@link #bind} returns; closing it cannot fail. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static boolean isId(String id, int length) {
    return id != null
        && id.length() == length
        && id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
        && !zero(id);
  }

  private static boolean zero(String hex) {
    return hex.chars().allMatch(c -> c == '0');
  }

  private static String randomHex(int longs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder hex = new StringBuilder(16 * longs);
    for (int i = 0; i < longs; i++) {
      long value = 0;
      while (value == 0) {
        value = random.nextLong();
      }
      hex.append(HEX.toHexDigits(value));
    }
    return hex.toString();
  }
}
