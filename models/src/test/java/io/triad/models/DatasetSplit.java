package io.triad.models;

import io.triad.functions.model.TrainingRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Row indices of a train/holdout split. Both lists are in row order.
 *
 * <p>{@link #stable}: a row is held out when its fingerprint says so ({@link
 * TrainingRows#heldOut}), so every version, seed and retrain on grown data keeps the same rows for
 * evaluation, and rows with the same inputs always fall on the same side. {@link #stratified}: the
 * seeded shuffle, for tests that need exact class counts.
 */
public record DatasetSplit(int[] train, int[] holdout) {

  /**
   * The stable split: rows whose fingerprint falls under {@code holdoutFraction} are held out,
   * except that a class none of whose rows would be trained on is trained on whole.
   */
  public static DatasetSplit stable(
      long[] fingerprints, int[] labels, int classes, double holdoutFraction) {
    boolean[] heldOut = new boolean[labels.length];
    int[] trained = new int[classes];
    for (int i = 0; i < labels.length; i++) {
      heldOut[i] = TrainingRows.heldOut(fingerprints[i], holdoutFraction);
      if (!heldOut[i]) {
        trained[labels[i]]++;
      }
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (heldOut[i] && trained[labels[i]] > 0) {
        holdout.add(i);
      } else {
        train.add(i);
      }
    }
    return of(train, holdout, labels.length, holdoutFraction);
  }

  /** The fingerprints of the training rows, as the package records them. */
  public TrainingRows trainingRows(long[] fingerprints) {
    return TrainingRows.of(Arrays.stream(train).mapToLong(i -> fingerprints[i]).toArray());
  }

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
    return of(train, holdout, labels.length, holdoutFraction);
  }

  private static DatasetSplit of(
      List<Integer> train, List<Integer> holdout, int rows, double holdoutFraction) {
    if (holdout.isEmpty()) {
      throw new TrainerException(
          "the holdout is empty: "
              + rows
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
