package io.triad.bench;

/** One way to start a runtime or a baseline in a fresh JVM; each call is one start. */
public interface ColdStart {

  /** The row's name in the tables. */
  String name();

  Sample start() throws Exception;
}
