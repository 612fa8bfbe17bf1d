package io.triad.gcp;

/**
 * A CloudEvent that can never be handled (wrong type, missing attributes, data that is not what the
 * trigger promises). Entry points log it and acknowledge: throwing would make Eventarc redeliver an
 * event that fails the same way every time.
 */
final class UnusableEvent extends Exception {
  private static final long serialVersionUID = 1L;

  UnusableEvent(String reason) {
    super(reason);
  }

  UnusableEvent(String reason, Throwable cause) {
    super(reason, cause);
  }
}
