package io.triad.functions.store;

import java.io.IOException;

/** The object was not there (never written, or deleted before we read it). */
public class NoSuchObjectException extends IOException {
  private final String key;

  public NoSuchObjectException(String key) {
    super("no such object: " + key);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
