package io.triad.infra.config;

import java.util.List;

/** A configuration file that cannot be synthesized; the message names every bad field. */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidConfigException(String source, List<String> problems) {
    super("invalid configuration " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * One line per bad field, each starting with the field's path (e.g. {@code training.gpuCount}).
   */
  public List<String> problems() {
    return problems;
  }
}
