package io.triad.models;

import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The training side of a {@link SpooledData}, shuffled within a bounded buffer.
 *
 * <p>When the training rows fit in the buffer they are read once, kept, and each epoch is a full
 * seeded permutation, as for rows in memory. When they do not, each epoch reads the spool in chunks
 * taken in a seeded random order, a prefetch thread reading the next chunks while the network
 * trains, and the rows pass through a shuffle buffer: once it is full, each arriving row takes the
 * place of one drawn at random, which goes into the batch. Memory holds the buffer, two chunks and
 * one batch, whatever the size of the data.
 */
final class SpoolBatches implements TrainingBatches {
  /** Chunks waiting in the prefetch queue. */
  static final int PREFETCH = 2;

  private final SpooledData data;
  private final Consumer<float[]> transform;
  private final int bufferRows;
  private final int chunkRows;
  private float[][] cachedX;
  private int[] cachedY;

  /**
   * @param transform applied in place to every batch's rows before it is handed out (the
   *     standardization), and to the kept rows once
   * @param bufferRows the shuffle buffer's size in rows
   */
  SpoolBatches(SpooledData data, Consumer<float[]> transform, int bufferRows) {
    this.data = data;
    this.transform = transform;
    this.bufferRows = Math.max(1, bufferRows);
    this.chunkRows = Math.max(1, Math.min(8192, this.bufferRows / 16));
  }

  /**
   * The training side of {@code data} within {@code shuffleBufferMb} megabytes ({@code
   * --shuffle-buffer-mb}).
   */
  static SpoolBatches within(SpooledData data, Consumer<float[]> transform, int shuffleBufferMb) {
    return new SpoolBatches(data, transform, rowsFor((long) shuffleBufferMb << 20, data.width()));
  }

  /** The held-out rows watched each epoch: as many as a quarter of the buffer's bytes holds. */
  static SpooledData.Sample heldOutWithin(SpooledData data, int shuffleBufferMb) {
    return data.heldOutSample(rowsFor(((long) shuffleBufferMb << 20) / 4, data.width()));
  }

  /** Rows of {@code width} values that {@code bytes} holds, at least one batch's worth. */
  static int rowsFor(long bytes, int width) {
    long rows = bytes / ((long) Float.BYTES * width + Integer.BYTES);
    return (int) Math.max(1, Math.min(rows, Integer.MAX_VALUE / Math.max(1, width)));
  }

  @Override
  public int width() {
    return data.width();
  }

  @Override
  public long rows() {
    return data.trainRows();
  }

  /** Whether the training rows are kept in memory (they fit in the buffer). */
  boolean fits() {
    return data.trainRows() <= bufferRows;
  }

  @Override
  public void epoch(int batchSize, Random random, TrainingBatches.BatchConsumer consumer) {
    if (fits()) {
      if (cachedX == null) {
        keep();
      }
      TrainingBatches.of(cachedX, cachedY).epoch(batchSize, random, consumer);
    } else {
      stream(batchSize, random, consumer);
    }
  }

  private void keep() {
    float[][] x = new float[(int) data.trainRows()][];
    int[] y = new int[x.length];
    int[] next = {0};
    data.forEach(
        true,
        (features, label, fingerprint) -> {
          transform.accept(features);
          x[next[0]] = features;
          y[next[0]++] = label;
          return true;
        });
    cachedX = x;
    cachedY = y;
  }

  /** What the prefetch thread hands over: rows, the end, or why it stopped. */
  private record Part(float[] features, int[] labels, RuntimeException failure) {
    static final Part END = new Part(null, null, null);
  }

  private void stream(int batchSize, Random random, TrainingBatches.BatchConsumer consumer) {
    RowSpool spool = data.spool();
    int width = width();
    long chunks = (spool.size() + chunkRows - 1) / chunkRows;
    if (chunks > Integer.MAX_VALUE) {
      throw new TrainerException("the data has too many chunks of " + chunkRows + " rows");
    }
    int[] order = TrainingBatches.permutation((int) chunks, random);
    BlockingQueue<Part> queue = new ArrayBlockingQueue<>(PREFETCH);
    Thread prefetch = new Thread(() -> prefetch(spool, order, queue), "triad-prefetch");
    prefetch.setDaemon(true);
    prefetch.start();
    try {
      float[] buffer = new float[Math.toIntExact((long) bufferRows * width)];
      int[] bufferLabels = new int[bufferRows];
      int held = 0;
      Batch batch = new Batch(batchSize, width, consumer);
      for (Part part = take(queue); part != Part.END; part = take(queue)) {
        if (part.failure() != null) {
          throw part.failure();
        }
        for (int r = 0; r < part.labels().length; r++) {
          if (held < bufferRows) {
            System.arraycopy(part.features(), r * width, buffer, held * width, width);
            bufferLabels[held++] = part.labels()[r];
          } else {
            int j = random.nextInt(held);
            batch.add(buffer, j * width, bufferLabels[j]);
            System.arraycopy(part.features(), r * width, buffer, j * width, width);
            bufferLabels[j] = part.labels()[r];
          }
        }
      }
      while (held > 0) {
        int j = random.nextInt(held);
        batch.add(buffer, j * width, bufferLabels[j]);
        held--;
        System.arraycopy(buffer, held * width, buffer, j * width, width);
        bufferLabels[j] = bufferLabels[held];
      }
      batch.flush();
    } finally {
      prefetch.interrupt();
      try {
        prefetch.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reads the chunks in {@code order}, keeping their training rows, into {@code queue}. */
  private void prefetch(RowSpool spool, int[] order, BlockingQueue<Part> queue) {
    int width = spool.width();
    try {
      try {
        for (int k : order) {
          RowSpool.Chunk chunk = spool.read((long) k * chunkRows, chunkRows);
          int kept = 0;
          float[] features = new float[chunk.size() * width];
          int[] labels = new int[chunk.size()];
          for (int i = 0; i < chunk.size(); i++) {
            if (data.isTrain(chunk, i)) {
              System.arraycopy(chunk.features(), i * width, features, kept * width, width);
              labels[kept++] = data.label(chunk, i);
            }
          }
          queue.put(
              new Part(
                  java.util.Arrays.copyOf(features, kept * width),
                  java.util.Arrays.copyOf(labels, kept),
                  null));
        }
        queue.put(Part.END);
      } catch (RuntimeException e) {
        queue.put(new Part(null, null, e));
      }
    } catch (InterruptedException e) {
      // the epoch ended early (it failed): nothing more is wanted
    }
  }

  private static Part take(BlockingQueue<Part> queue) {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrainerException("interrupted while reading the training rows");
    }
  }

  /** Rows gathered into one batch, transformed and handed out when full. */
  private final class Batch {
    private final int size;
    private final int width;
    private final TrainingBatches.BatchConsumer consumer;
    private float[] features;
    private long[] labels;
    private int count;

    Batch(int size, int width, TrainingBatches.BatchConsumer consumer) {
      this.size = size;
      this.width = width;
      this.consumer = consumer;
      fresh();
    }

    void add(float[] from, int offset, int label) {
      System.arraycopy(from, offset, features, count * width, width);
      labels[count++] = label;
      if (count == size) {
        flush();
      }
    }

    void flush() {
      if (count == 0) {
        return;
      }
      float[] rows = count == size ? features : java.util.Arrays.copyOf(features, count * width);
      long[] classes = count == size ? labels : java.util.Arrays.copyOf(labels, count);
      transform.accept(rows);
      consumer.accept(rows, classes);
      fresh();
    }

    private void fresh() {
      features = new float[size * width];
      labels = new long[size];
      count = 0;
    }
  }
}
