package io.triad.functions.image;

import io.triad.functions.model.ImageInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small PNG of a picture as a data URI, so a report shows it with no file or network beside it.
 */
public final class Thumbnail {
  private Thumbnail() {}

  /**
   * {@code picture} scaled to fit {@code side} x {@code side} (never enlarged), as a PNG data URI.
   */
  public static String dataUri(Picture picture, int side) {
    double s = Math.min(1.0, (double) side / Math.max(picture.width(), picture.height()));
    int w = Math.max(1, (int) Math.round(picture.width() * s));
    int h = Math.max(1, (int) Math.round(picture.height() * s));
    ImageInput spec =
        new ImageInput(
            w,
            h,
            ImageInput.NHWC,
            ImageInput.RGB,
            null,
            null,
            1.0,
            List.of(0.0),
            List.of(1.0),
            null,
            null);
    float[] rgb = new float[spec.valuesPerImage()];
    new ImageTensor(spec).write(picture, rgb, 0);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < w * h; i++) {
      image.setRGB(
          i % w,
          i / w,
          channel(rgb[3 * i]) << 16 | channel(rgb[3 * i + 1]) << 8 | channel(rgb[3 * i + 2]));
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }

  private static int channel(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }
}
