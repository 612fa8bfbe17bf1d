package io.triad.contract;

/** Closes what a test started, every part even when one fails. */
final class Closing {
  private Closing() {}

  /**
   * Closes each part in order; the first failure is thrown once all were tried (a checked one
   * wrapped), the others suppressed in it.
   */
  static void all(AutoCloseable... parts) {
    RuntimeException first = null;
    for (AutoCloseable part : parts) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        RuntimeException failure =
            e instanceof RuntimeException r ? r : new IllegalStateException("closing " + part, e);
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(failure);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
