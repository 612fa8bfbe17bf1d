package io.triad.functions.api;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a failure means, decided here and nowhere else. Every runtime acts on these three the same
 * way:
 *
 * <ul>
 *   <li>{@link CallerFault}: the request or upload is wrong. HTTP answers its 4xx; an upload is set
 *       aside under {@code failed/} with the reason and acknowledged.
 *   <li>{@link NotReady}: nothing servable yet. HTTP answers 503; an upload is retried later (the
 *       platform redelivers, the local runtime backs off), never set aside.
 *   <li>{@link Transient}: storage, network or anything unexpected. HTTP answers 503 for a known
 *       storage fault and 500 otherwise; an upload's event is thrown so the platform retries it
 *       (the local runtime retries with backoff).
 * </ul>
 */
public sealed interface Failure permits Failure.Named, Failure.Transient {

  /** Says what went wrong, for a caller or a {@code failed/} record: never a class name. */
  String message();

  /** The HTTP status every runtime answers with. */
  int status();

  /** The exception to throw so that the runtime retries (or the 4xx it reports). */
  RuntimeException thrown();

  /** A failure the core named itself: its message and status are its {@link TriadError}'s. */
  sealed interface Named extends Failure permits CallerFault, NotReady {
    TriadError error();

    @Override
    default String message() {
      return error().getMessage();
    }

    @Override
    default int status() {
      return error().status();
    }

    @Override
    default RuntimeException thrown() {
      return error();
    }
  }

  /** The caller's mistake; retrying the same input cannot help. */
  record CallerFault(TriadError error) implements Named {}

  /** No servable version yet; the same input will succeed once one is promoted or mended. */
  record NotReady(TriadError error) implements Named {}

  /**
   * A fault of the machinery, or a bug. {@code known} is true for storage and I/O faults, which
   * HTTP reports as 503; anything else is an internal error (500) whose detail stays in the log.
   */
  record Transient(RuntimeException cause, boolean known) implements Failure {
    public String message() {
      if (cause instanceof TriadError error) {
        return error.getMessage();
      }
      // an I/O exception's own text may name classes or hosts; the log has it
      return known ? "the store could not be reached; try again" : "internal error";
    }

    public int status() {
      return known ? 503 : 500;
    }

    public RuntimeException thrown() {
      return cause;
    }
  }

  /** Classifies anything a function threw. */
  static Failure of(Throwable thrown) {
    TriadError error = TriadError.find(thrown);
    if (error != null) {
      return switch (error.kind().disposition()) {
        case CALLER_FAULT -> new CallerFault(error);
        case NOT_READY -> new NotReady(error);
        case TRANSIENT -> new Transient(error, true);
      };
    }
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return new Transient(asRuntime(thrown), true);
      }
    }
    return new Transient(asRuntime(thrown), false);
  }

  private static RuntimeException asRuntime(Throwable thrown) {
    if (thrown instanceof RuntimeException runtime) {
      return runtime;
    }
    if (thrown instanceof IOException io) {
      return new UncheckedIOException(io.getMessage(), io);
    }
    return new IllegalStateException(thrown.getMessage(), thrown);
  }
}
