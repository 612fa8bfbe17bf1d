package io.triad.models;

import java.util.List;

/** One input column of a table: numeric when {@code vocabulary} is null, else one-hot over it. */
public record FeatureColumn(String name, int column, List<String> vocabulary) {
  public boolean isCategorical() {
    return vocabulary != null;
  }

  public int width() {
    return isCategorical() ? vocabulary.size() : 1;
  }
}
