package io.triad.infra.smoke;

/** A smoke step that did not come out as it should; the message says what was seen. */
final class SmokeFailure extends RuntimeException {
  SmokeFailure(String message) {
    super(message);
  }
}
