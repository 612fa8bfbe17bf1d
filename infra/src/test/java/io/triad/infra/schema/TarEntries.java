package io.triad.infra.schema;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The regular files of a tar stream (ustar, with pax extended headers for long names), read in
 * order without unpacking anything to disk. Each entry's content must be read, or left, before the
 * next call to {@link #next()}.
 */
final class TarEntries {

  record Entry(String name, long size, InputStream content) {}

  private static final int BLOCK = 512;

  private final InputStream in;
  private long remaining;
  private long padding;

  TarEntries(InputStream in) {
    this.in = in;
  }

  /** The next regular file, or null at the end of the archive. */
  Entry next() throws IOException {
    String paxPath = null;
    while (true) {
      skip(remaining + padding);
      remaining = 0;
      padding = 0;
      byte[] header = in.readNBytes(BLOCK);
      if (header.length < BLOCK || isZero(header)) {
        return null;
      }
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      if (type == 'x') {
        paxPath = paxPath(new String(in.readNBytes((int) size), StandardCharsets.UTF_8));
        padding = pad(size);
        continue;
      }
      remaining = size;
      padding = pad(size);
      if (type != '0' && type != '\0') {
        paxPath = null;
        continue;
      }
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      return new Entry(paxPath != null ? paxPath : name, size, content());
    }
  }

  private InputStream content() {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int b = in.read();
        if (b >= 0) {
          remaining--;
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n > 0) {
          remaining -= n;
        }
        return n;
      }

      @Override
      public void close() {
        // The archive stays open for the next entry.
      }
    };
  }

  private void skip(long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static long pad(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static boolean isZero(byte[] header) {
    for (byte b : header) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) throws IOException {
    String digits = text(header, offset, length).trim();
    try {
      return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    } catch (NumberFormatException e) {
      throw new IOException("tar header size is not octal: " + digits, e);
    }
  }

  /** A pax header's {@code path} record ("LEN path=VALUE\n"), or null if it has none. */
  private static String paxPath(String records) {
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }
}
