package io.triad.functions.api;

/**
 * A failure whose meaning is known where it is thrown. Its {@link Kind} says both what a caller is
 * told (the HTTP status every runtime answers with, and a JSON body {@code {"error": message}}) and
 * what an upload's runtime does with it; {@link Failure#of} is where that is decided, for this and
 * for anything else that escapes a function.
 */
public final class TriadError extends RuntimeException {

  /**
   * The closed set of failures, each with its HTTP status and what happens to an upload that hits
   * it.
   */
  public enum Kind {
    BAD_REQUEST(400, Disposition.CALLER_FAULT),
    NOT_FOUND(404, Disposition.CALLER_FAULT),
    METHOD_NOT_ALLOWED(405, Disposition.CALLER_FAULT),
    CONFLICT(409, Disposition.CALLER_FAULT),
    PAYLOAD_TOO_LARGE(413, Disposition.CALLER_FAULT),
    UNSUPPORTED_MEDIA_TYPE(415, Disposition.CALLER_FAULT),
    UNPROCESSABLE(422, Disposition.CALLER_FAULT),
    /** Nothing servable yet (no production version, or one whose package does not verify). */
    NOT_READY(503, Disposition.NOT_READY),
    /** A fault of the machinery (storage, network) that a retry may not meet again. */
    TRANSIENT(503, Disposition.TRANSIENT);

    private final int status;
    private final Disposition disposition;

    Kind(int status, Disposition disposition) {
      this.status = status;
      this.disposition = disposition;
    }

    public int status() {
      return status;
    }

    Disposition disposition() {
      return disposition;
    }
  }

  /**
   * The three things a runtime can do with a failed event; {@link Failure} has one record for each.
   */
  enum Disposition {
    CALLER_FAULT,
    NOT_READY,
    TRANSIENT
  }

  private final Kind kind;

  /** {@code message} is what a caller reads; any clause of it that names code is cut off. */
  public TriadError(Kind kind, String message) {
    super(PlainWords.scrub(message));
    this.kind = kind;
  }

  public TriadError(Kind kind, String message, Throwable cause) {
    super(PlainWords.scrub(message), cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return kind.status();
  }

  public static TriadError badRequest(String message) {
    return new TriadError(Kind.BAD_REQUEST, message);
  }

  public static TriadError notFound(String message) {
    return new TriadError(Kind.NOT_FOUND, message);
  }

  public static TriadError unprocessable(String message) {
    return new TriadError(Kind.UNPROCESSABLE, message);
  }

  /** Nothing servable yet: an upload that meets it is retried later, never set aside. */
  public static TriadError notReady(String message) {
    return new TriadError(Kind.NOT_READY, message);
  }

  /** A storage or network fault: an upload that meets it is retried. */
  public static TriadError transientFault(String message, Throwable cause) {
    return new TriadError(Kind.TRANSIENT, message, cause);
  }

  /** Finds the {@code TriadError} behind a wrapped exception, if there is one. */
  public static TriadError find(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof TriadError error) {
        return error;
      }
    }
    return null;
  }
}
