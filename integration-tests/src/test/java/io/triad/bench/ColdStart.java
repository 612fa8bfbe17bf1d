package io.triad.bench;

/** One way to start a runtime or a baseline in a fresh JVM; each call is one start. */
public interface ColdStart {

  /** The row's name in the tables. */
  String name();

  Sample start() throws Exception;

  /** A start named {@code name} that {@code starter} performs. */
  static ColdStart of(String name, java.util.concurrent.Callable<Sample> starter) {
    return new ColdStart() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Sample start() throws Exception {
        return starter.call();
      }
    };
  }
}
