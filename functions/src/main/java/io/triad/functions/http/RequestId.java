package io.triad.functions.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every HTTP request's id, the same on every runtime: the caller's {@code x-request-id} when it is
 * one (1-128 of letters, digits and {@code . _ : / + = -}), else the trace id of a valid W3C {@code
 * traceparent}, else a new random 32-hex id. The answer carries it back in {@value #HEADER}, logs
 * about the request carry it ({@value #MDC_KEY} in the logging context), and a server error's
 * reference is it.
 */
public final class RequestId {
  /** The response (and request) header. */
  public static final String HEADER = "x-request-id";

  /** The W3C trace context header. */
  public static final String TRACEPARENT = "traceparent";

  /** The key in SLF4J's MDC while a request is handled. */
  public static final String MDC_KEY = "request_id";

  private static final Pattern GIVEN = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

  /** version-traceid-parentid-flags; version ff is invalid, an all-zero trace or parent too. */
  private static final Pattern TRACE =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

  private RequestId() {}

  public static String of(HttpCall call) {
    String given = call.header(HEADER);
    if (given != null && GIVEN.matcher(given.trim()).matches()) {
      return given.trim();
    }
    String trace = traceId(call.header(TRACEPARENT));
    return trace != null ? trace : fresh();
  }

  /** The trace id of a valid {@code traceparent}, else null. */
  static String traceId(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    var m = TRACE.matcher(traceparent.trim());
    if (!m.matches()
        || m.group(1).equals("ff")
        || (m.group(1).equals("00") && m.group(5) != null)
        || m.group(2).chars().allMatch(c -> c == '0')
        || m.group(3).chars().allMatch(c -> c == '0')) {
      return null;
    }
    return m.group(2);
  }

  /** 128 random bits as 32 lower-case hex digits, the shape of a trace id. */
  static String fresh() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("%016x%016x", random.nextLong(), random.nextLong());
  }
}
