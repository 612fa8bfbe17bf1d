package io.triad.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Row indices of a stratified train/holdout split: each class gives {@code round(n * fraction)} of
 * its rows to the holdout (at most n - 1, so every class is trained on). Both lists are in row
 * order.
 */
public record DatasetSplit(int[] train, int[] holdout) {

  public static DatasetSplit stratified(
      int[] labels, int classes, double holdoutFraction, long seed) {
    Random random = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          members.add(i);
        }
      }
      Collections.shuffle(members, random);
      int take = (int) Math.min(Math.round(members.size() * holdoutFraction), members.size() - 1L);
      holdout.addAll(members.subList(0, take));
      train.addAll(members.subList(take, members.size()));
    }
    if (holdout.isEmpty()) {
      throw new TrainerException(
          "the holdout is empty: "
              + labels.length
              + " rows are too few for a holdout fraction of "
              + holdoutFraction);
    }
    return new DatasetSplit(sorted(train), sorted(holdout));
  }

  private static int[] sorted(List<Integer> indices) {
    int[] out = indices.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(out);
    return out;
  }

  /** The rows of {@code matrix} at {@code indices}. */
  public static float[][] rows(float[][] matrix, int[] indices) {
    float[][] out = new float[indices.length][];
    for (int i = 0; i < indices.length; i++) {
      out[i] = matrix[indices[i]].clone();
    }
    return out;
  }

  public static int[] rows(int[] values, int[] indices) {
    return Arrays.stream(indices).map(i -> values[i]).toArray();
  }
}
