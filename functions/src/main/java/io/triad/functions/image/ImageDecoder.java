package io.triad.functions.image;

import io.triad.functions.api.TriadError;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG and JPEG (baseline and progressive; also GIF and BMP, which the JDK reads too) with
 * the JDK's ImageIO into a {@link Picture}. The size is read from the header and checked against
 * the pixel limit before any pixel is decoded, so a small file that claims to be huge (a
 * decompression bomb) costs nothing. Every failure is a {@link TriadError} with a 4xx status.
 */
public final class ImageDecoder {

  private ImageDecoder() {}

  /**
   * @param background 0..255 red, green, blue that transparent pixels are composited on
   */
  public static Picture decode(byte[] bytes, long maxPixels, int[] background) {
    if (bytes.length == 0) {
      throw TriadError.unprocessable("the image is empty (0 bytes)");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new TriadError(
            TriadError.Kind.UNSUPPORTED_MEDIA_TYPE,
            "not an image this service reads: send PNG or JPEG (the first bytes match no image format)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > maxPixels) {
          throw new TriadError(
              TriadError.Kind.PAYLOAD_TOO_LARGE,
              "the "
                  + format
                  + " image is "
                  + width
                  + "x"
                  + height
                  + " = "
                  + width * height
                  + " pixels; the limit is "
                  + maxPixels
                  + " (refused before decoding)");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          // ImageIO decodes a cut-off JPEG as grey below the cut and only warns
          throw TriadError.unprocessable("the " + format + " image is damaged: " + warnings.get(0));
        }
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
          // the JDK reads a CMYK JPEG without an Adobe marker, but with no ICC profile its colours
          // are guesses
          throw cmyk();
        }
        Picture picture = planes(image, background);
        return format.equals("JPEG") ? picture.oriented(ExifOrientation.of(bytes)) : picture;
      } finally {
        reader.dispose();
      }
    } catch (TriadError e) {
      throw e;
    } catch (IIOException e) {
      throw unreadable(e);
    } catch (IOException | RuntimeException e) {
      // decoders throw unchecked exceptions (index, negative size) on some malformed files
      throw TriadError.unprocessable("the image cannot be decoded (truncated or corrupt)");
    }
  }

  private static TriadError unreadable(IIOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("Unsupported Image Type")
        || message.contains("Unsupported JPEG process")) {
      return cmyk();
    }
    return TriadError.unprocessable(
        "the image cannot be decoded (truncated or corrupt): " + message);
  }

  private static TriadError cmyk() {
    return new TriadError(
        TriadError.Kind.UNSUPPORTED_MEDIA_TYPE,
        "unsupported JPEG colour model (CMYK or YCCK JPEGs are not read): save it as an RGB JPEG or PNG");
  }

  /**
   * Gray images are read from their samples: going through getRGB would apply a gamma curve to
   * them.
   */
  private static Picture planes(BufferedImage image, int[] background) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel model = image.getColorModel();
    if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && !(model instanceof IndexColorModel)) {
      Raster raster = image.getRaster();
      float max = (1 << model.getComponentSize(0)) - 1;
      boolean alpha = raster.getNumBands() > 1;
      float[] gray = new float[w * h];
      float[] samples = raster.getSamples(0, 0, w, h, 0, (float[]) null);
      float[] alphas = alpha ? raster.getSamples(0, 0, w, h, 1, (float[]) null) : null;
      float maxAlpha = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
      float back = (background[0] + background[1] + background[2]) / 3f;
      for (int i = 0; i < gray.length; i++) {
        float v = samples[i] * 255f / max;
        gray[i] = alpha ? composite(v, alphas[i] / maxAlpha, back) : v;
      }
      return new Picture(w, h, gray, gray, gray);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[] r = new float[argb.length];
    float[] g = new float[argb.length];
    float[] b = new float[argb.length];
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      float a = (p >>> 24) / 255f;
      r[i] = composite(p >> 16 & 0xff, a, background[0]);
      g[i] = composite(p >> 8 & 0xff, a, background[1]);
      b[i] = composite(p & 0xff, a, background[2]);
    }
    return new Picture(w, h, r, g, b);
  }

  private static float composite(float value, float alpha, float background) {
    return alpha >= 1f ? value : alpha * value + (1 - alpha) * background;
  }
}
