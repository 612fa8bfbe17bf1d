package io.triad.functions.image;

/**
 * A decoded picture as float planes of 0..255 sRGB values, alpha already composited and EXIF
 * orientation already applied. A grayscale source shares one plane for all three.
 */
public record Picture(int width, int height, float[] red, float[] green, float[] blue) {

  public boolean isGray() {
    return red == green && green == blue;
  }

  /** One plane of luminance (ITU-R BT.601 weights, as PIL's "L" conversion uses). */
  public float[] luminance() {
    if (isGray()) {
      return red;
    }
    float[] gray = new float[red.length];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = 0.299f * red[i] + 0.587f * green[i] + 0.114f * blue[i];
    }
    return gray;
  }

  /** This picture turned upright as EXIF orientation {@code orientation} (1..8) says. */
  public Picture oriented(int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return this;
    }
    boolean swap = orientation >= 5;
    int w = swap ? height : width;
    int h = swap ? width : height;
    int[] source = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = width - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = width - 1 - x;
            sy = height - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = height - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = height - 1 - x;
          }
          case 7 -> {
            sx = width - 1 - y;
            sy = height - 1 - x;
          }
          default -> {
            sx = width - 1 - y;
            sy = x;
          } // 8
        }
        source[y * w + x] = sy * width + sx;
      }
    }
    float[] r = remap(red, source);
    return isGray()
        ? new Picture(w, h, r, r, r)
        : new Picture(w, h, r, remap(green, source), remap(blue, source));
  }

  private static float[] remap(float[] plane, int[] source) {
    float[] out = new float[source.length];
    for (int i = 0; i < source.length; i++) {
      out[i] = plane[source[i]];
    }
    return out;
  }
}
