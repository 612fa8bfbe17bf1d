package io.triad.functions.api;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every HTTP request's id, the same on every runtime (and every upload's, {@link #ofUpload}): the
 * caller's {@code x-request-id} when it is one (1-128 of letters, digits and {@code . _ : / + =
 * -}), else the trace id of a valid W3C {@code traceparent}, else a new random 32-hex id. The
 * answer carries it back in {@value #HEADER}, logs about the request carry it ({@value #MDC_KEY} in
 * the logging context), and a server error's reference is it.
 */
public final class RequestId {
  /** The response (and request) header. */
  public static final String HEADER = "x-request-id";

  /** The W3C trace context header. */
  public static final String TRACEPARENT = io.triad.functions.telemetry.TraceContext.TRACEPARENT;

  /** The key in SLF4J's MDC while a request is handled. */
  public static final String MDC_KEY = "request_id";

  private static final java.util.HexFormat HEX = java.util.HexFormat.of();

  private static final Pattern GIVEN = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

  private RequestId() {}

  /** The id of a request whose headers {@code header} reads (by name, case-insensitively). */
  public static String of(java.util.function.UnaryOperator<String> header) {
    String given = header.apply(HEADER);
    if (given != null && GIVEN.matcher(given.trim()).matches()) {
      return given.trim();
    }
    String trace = traceId(header.apply(TRACEPARENT));
    return trace != null ? trace : fresh();
  }

  /**
   * An upload's id: {@code upload-} and 24 hex digits of its key and entity tag (or size), so every
   * delivery of one upload, and only of that version of it, has the same id.
   */
  public static String ofUpload(ObjectCreated event) {
    String identity =
        event.key() + "\n" + (event.etag() != null ? event.etag() : Long.toString(event.size()));
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "upload-" + java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The trace id of a valid {@code traceparent}, else null. */
  static String traceId(String traceparent) {
    return io.triad.functions.telemetry.TraceContext.parse(traceparent)
        .map(io.triad.functions.telemetry.TraceContext::traceId)
        .orElse(null);
  }

  /**
   * Where {@code salted} (an id behind a prefix naming what it is drawn for) falls in [0, 1): the
   * same for the same text on every runtime and instance, and spread evenly, so a share of requests
   * chosen by it is the same share at every retry. Each use draws with its own prefix (the payload
   * sample, a canary's share, a shadow's), so their shares are independent.
   */
  public static double share(String salted) {
    long hash = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < salted.length(); i++) {
      hash = 31 * hash + salted.charAt(i);
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return (hash >>> 11) * 0x1.0p-53;
  }

  /** 128 random bits as 32 lower-case hex digits, the shape of a trace id. */
  static String fresh() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
  }
}
