package io.triad.models;

import java.util.Random;

/**
 * The training rows, handed out an epoch at a time in batches, in an order drawn from the caller's
 * seeded generator: the same seed gives the same batches.
 */
interface TrainingBatches {

  /** One batch: its rows' inputs one after another, and their classes. */
  @FunctionalInterface
  interface BatchConsumer {
    void accept(float[] features, long[] labels);
  }

  /** Values in one row. */
  int width();

  /** Rows in an epoch. */
  long rows();

  /** Hands every row to {@code consumer} once, in batches of {@code batchSize} (the last less). */
  void epoch(int batchSize, Random random, BatchConsumer consumer);

  /** Rows in memory, in a fresh permutation every epoch. */
  static TrainingBatches of(float[][] x, int[] y) {
    return new TrainingBatches() {
      @Override
      public int width() {
        return x[0].length;
      }

      @Override
      public long rows() {
        return y.length;
      }

      @Override
      public void epoch(int batchSize, Random random, BatchConsumer consumer) {
        int[] order = permutation(y.length, random);
        int width = width();
        for (int from = 0; from < order.length; from += batchSize) {
          int to = Math.min(order.length, from + batchSize);
          float[] rows = new float[(to - from) * width];
          long[] labels = new long[to - from];
          for (int i = from; i < to; i++) {
            System.arraycopy(x[order[i]], 0, rows, (i - from) * width, width);
            labels[i - from] = y[order[i]];
          }
          consumer.accept(rows, labels);
        }
      }
    };
  }

  /** A seeded Fisher-Yates permutation of {@code 0..n-1}. */
  static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
