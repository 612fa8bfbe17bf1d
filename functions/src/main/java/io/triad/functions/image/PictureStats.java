package io.triad.functions.image;

import java.util.List;

/**
 * What a picture looks like to the model, as two numbers a drift check can compare: the mean
 * ({@value #BRIGHTNESS}) and the standard deviation ({@value #CONTRAST}) of its input tensor's
 * values, after the model's own decoding, resizing and scaling. The trainer profiles its pictures
 * with them and every labelled folder of pictures is compared on them.
 */
public final class PictureStats {
  public static final String BRIGHTNESS = "picture_brightness";
  public static final String CONTRAST = "picture_contrast";

  /** The features, in the order {@link #of} gives them. */
  public static final List<String> FEATURES = List.of(BRIGHTNESS, CONTRAST);

  private PictureStats() {}

  /** Brightness and contrast of the {@code length} values of one picture from {@code offset}. */
  public static double[] of(float[] tensor, int offset, int length) {
    double mean = 0;
    double m2 = 0;
    for (int i = 0; i < length; i++) {
      double value = tensor[offset + i];
      double delta = value - mean;
      mean += delta / (i + 1);
      m2 += delta * (value - mean);
    }
    return new double[] {mean, length == 0 ? 0 : Math.sqrt(m2 / length)};
  }
}
