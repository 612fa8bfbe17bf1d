package io.triad.models;

/** A failure the trainer reports as one line (bad arguments, bad data, a failed export check). */
public final class TrainerException extends RuntimeException {

  public TrainerException(String message) {
    super(message);
  }

  public TrainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
