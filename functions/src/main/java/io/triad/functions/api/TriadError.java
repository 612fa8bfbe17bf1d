package io.triad.functions.api;

/**
 * A failure the caller can act on. Every runtime maps it to the same status code and a JSON body
 * {@code {"error": message}}; anything else that escapes a function is an internal error.
 */
public final class TriadError extends RuntimeException {

  /** The closed set of failures, each with the HTTP status every runtime answers with. */
  public enum Kind {
    BAD_REQUEST(400),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    UNPROCESSABLE(422),
    UNAVAILABLE(503);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Kind kind;

  public TriadError(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public TriadError(Kind kind, String message, Throwable cause) {
    super(message, cause);
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

  public static TriadError unavailable(String message) {
    return new TriadError(Kind.UNAVAILABLE, message);
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
