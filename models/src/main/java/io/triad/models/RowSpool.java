package io.triad.models;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Encoded rows in a local file, written once and then read in chunks in any order: fixed-size
 * records of the class (as first seen), whether the row's fingerprint holds it out, the
 * fingerprint, and the row's raw input. Memory holds one chunk at a time; the file is deleted on
 * close.
 */
final class RowSpool implements AutoCloseable {
  private static final int HEADER_BYTES = Integer.BYTES * 2 + Long.BYTES;

  /** One run of records read back. */
  record Chunk(int[] labels, boolean[] heldOut, long[] fingerprints, float[] features) {
    int size() {
      return labels.length;
    }
  }

  private final Path file;
  private final int width;
  private DataOutputStream out;
  private FileChannel in;
  private long size;

  RowSpool(Path dir, int width) {
    this.width = width;
    try {
      this.file = Files.createTempFile(dir, "rows-", ".spool");
      this.out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training rows under " + dir, e);
    }
  }

  int width() {
    return width;
  }

  /** Records written. */
  long size() {
    return size;
  }

  long bytes() {
    return size * recordBytes();
  }

  int recordBytes() {
    return HEADER_BYTES + Float.BYTES * width;
  }

  void append(int label, boolean heldOut, long fingerprint, float[] features) {
    if (features.length != width) {
      throw new IllegalArgumentException(features.length + " values for a spool of " + width);
    }
    try {
      out.writeInt(label);
      out.writeInt(heldOut ? 1 : 0);
      out.writeLong(fingerprint);
      for (float value : features) {
        out.writeFloat(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the training rows to " + file, e);
    }
    size++;
  }

  /** Ends writing; reading may start. */
  void finish() {
    try {
      out.close();
      out = null;
      in = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the training rows back from " + file, e);
    }
  }

  /** Records {@code [first, first + count)}. Safe to call from several threads. */
  Chunk read(long first, int count) {
    int n = (int) Math.max(0, Math.min(count, size - first));
    ByteBuffer buffer = ByteBuffer.allocate(n * recordBytes());
    try {
      long position = first * recordBytes();
      while (buffer.hasRemaining()) {
        int read = in.read(buffer, position + buffer.position());
        if (read < 0) {
          throw new IOException("the spool ended early");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the training rows back from " + file, e);
    }
    buffer.flip();
    int[] labels = new int[n];
    boolean[] heldOut = new boolean[n];
    long[] fingerprints = new long[n];
    float[] features = new float[n * width];
    for (int i = 0; i < n; i++) {
      labels[i] = buffer.getInt();
      heldOut[i] = buffer.getInt() != 0;
      fingerprints[i] = buffer.getLong();
      for (int k = 0; k < width; k++) {
        features[i * width + k] = buffer.getFloat();
      }
    }
    return new Chunk(labels, heldOut, fingerprints, features);
  }

  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
      }
      if (in != null) {
        in.close();
      }
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("removing " + file, e);
    }
  }
}
