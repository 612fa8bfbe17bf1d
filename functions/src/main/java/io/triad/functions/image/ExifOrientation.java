package io.triad.functions.image;

/**
 * Reads the EXIF orientation tag (0x0112) of a JPEG from its APP1 segment. Hand-written rather than
 * a metadata library: one tag in one IFD is ~60 lines, and the serving packages stay small. A
 * missing or malformed EXIF block reads as 1 (as stored): a broken tag must not make an otherwise
 * good picture unreadable.
 */
final class ExifOrientation {
  public static final int AS_STORED = 1;
  private static final int ORIENTATION_TAG = 0x0112;

  private ExifOrientation() {}

  /** The orientation 1..8 of {@code jpeg}, or 1 if it has none. */
  public static int of(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
      return AS_STORED;
    }
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xFF) {
      int marker = jpeg[at + 1] & 0xff;
      if (marker == 0xDA || marker == 0xD9) {
        return AS_STORED; // image data starts: no EXIF before it
      }
      int length = u16(jpeg, at + 2, true);
      if (length < 2 || at + 2 + length > jpeg.length) {
        return AS_STORED;
      }
      if (marker == 0xE1 && isExif(jpeg, at + 4, length - 2)) {
        return fromTiff(jpeg, at + 10, at + 2 + length);
      }
      at += 2 + length;
    }
    return AS_STORED;
  }

  private static boolean isExif(byte[] b, int at, int length) {
    return length >= 14
        && b[at] == 'E'
        && b[at + 1] == 'x'
        && b[at + 2] == 'i'
        && b[at + 3] == 'f'
        && b[at + 4] == 0
        && b[at + 5] == 0;
  }

  /** Walks IFD0 of the TIFF structure at {@code tiff} (ending before {@code end}). */
  private static int fromTiff(byte[] b, int tiff, int end) {
    boolean bigEndian;
    if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
      bigEndian = true;
    } else if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
      bigEndian = false;
    } else {
      return AS_STORED;
    }
    long ifd = tiff + u32(b, tiff + 4, bigEndian);
    if (ifd + 2 > end || ifd < tiff) {
      return AS_STORED;
    }
    int entries = u16(b, (int) ifd, bigEndian);
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + 12 * i;
      if (entry + 12 > end) {
        return AS_STORED;
      }
      if (u16(b, entry, bigEndian) == ORIENTATION_TAG) {
        int value = u16(b, entry + 8, bigEndian); // a SHORT sits left-justified in the value field
        return value >= 1 && value <= 8 ? value : AS_STORED;
      }
    }
    return AS_STORED;
  }

  private static int u16(byte[] b, int at, boolean bigEndian) {
    int hi = b[at] & 0xff;
    int lo = b[at + 1] & 0xff;
    return bigEndian ? hi << 8 | lo : lo << 8 | hi;
  }

  private static long u32(byte[] b, int at, boolean bigEndian) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      int index = bigEndian ? at + i : at + 3 - i;
      v = v << 8 | (b[index] & 0xff);
    }
    return v;
  }
}
