package io.triad.functions.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.triad.functions.api.TriadError;
import java.util.List;
import java.util.Locale;

/**
 * The image part of a manifest's preprocessing: how any picture becomes the model's input tensor.
 * Unset fields take the defaults below, so a hand-written manifest needs only the size.
 *
 * @param width the tensor's width in pixels
 * @param height the tensor's height in pixels
 * @param layout {@value #NCHW} (PyTorch, the default) or {@value #NHWC} (TensorFlow/Keras)
 * @param channels {@value #GRAYSCALE}, {@value #RGB} (the default) or {@value #BGR} (Caffe/OpenCV)
 * @param resize {@value #PLAIN} (stretch to width x height, the default) or {@value #CENTER_CROP}
 *     (shorter side to {@code resizeShorter}, then the centre width x height)
 * @param resizeShorter the shorter side before the crop; the larger of width and height if unset
 * @param scale multiplies each 0..255 value first; 1/255 if unset
 * @param mean subtracted per channel after scaling; one value or one per channel; 0 if unset
 * @param std divides per channel after the mean; one value or one per channel; 1 if unset
 * @param background what transparent pixels are composited on, {@code #rrggbb}; white if unset
 * @param maxPixels larger images are refused from their header, before decoding; 40 MP if unset
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageInput(
    int width,
    int height,
    String layout,
    String channels,
    String resize,
    Integer resizeShorter,
    Double scale,
    List<Double> mean,
    List<Double> std,
    String background,
    Long maxPixels) {
  public static final String NCHW = "NCHW";
  public static final String NHWC = "NHWC";
  public static final String GRAYSCALE = "grayscale";
  public static final String RGB = "rgb";
  public static final String BGR = "bgr";
  public static final String PLAIN = "plain";
  public static final String CENTER_CROP = "shorter-side-center-crop";
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  public ImageInput {
    if (width < 1 || height < 1 || width > 8192 || height > 8192) {
      throw TriadError.unprocessable(
          "the manifest's image size must be 1..8192 on each side, got " + width + "x" + height);
    }
    layout = layout == null ? NCHW : layout.toUpperCase(Locale.ROOT);
    channels = channels == null ? RGB : channels.toLowerCase(Locale.ROOT);
    resize = resize == null ? PLAIN : resize.toLowerCase(Locale.ROOT);
    oneOf("layout", layout, NCHW, NHWC);
    oneOf("channels", channels, GRAYSCALE, RGB, BGR);
    oneOf("resize", resize, PLAIN, CENTER_CROP);
    mean = mean == null ? List.of(0.0) : List.copyOf(mean);
    std = std == null ? List.of(1.0) : List.copyOf(std);
    int c = channels.equals(GRAYSCALE) ? 1 : 3;
    if ((mean.size() != 1 && mean.size() != c) || (std.size() != 1 && std.size() != c)) {
      throw TriadError.unprocessable(
          "the manifest's image mean and std need 1 or " + c + " values");
    }
    if (std.stream().anyMatch(s -> !(s != 0 && Double.isFinite(s)))) {
      throw TriadError.unprocessable("the manifest's image std must be finite and non-zero");
    }
  }

  /** A plain-resize input with the default normalization (x / 255). */
  public static ImageInput of(int width, int height, String layout, String channels) {
    return new ImageInput(
        width, height, layout, channels, null, null, null, null, null, null, null);
  }

  @JsonIgnore
  public int channelCount() {
    return channels.equals(GRAYSCALE) ? 1 : 3;
  }

  @JsonIgnore
  public int valuesPerImage() {
    return width * height * channelCount();
  }

  @JsonIgnore
  public double scaleOrDefault() {
    return scale == null ? 1.0 / 255 : scale;
  }

  @JsonIgnore
  public int shorterSideOrDefault() {
    return resizeShorter == null ? Math.max(width, height) : resizeShorter;
  }

  @JsonIgnore
  public long maxPixelsOrDefault() {
    return maxPixels == null ? DEFAULT_MAX_PIXELS : maxPixels;
  }

  /** The background as 0..255 red, green, blue. */
  @JsonIgnore
  public int[] backgroundRgb() {
    String hex = background == null ? "#ffffff" : background;
    if (!hex.matches("#[0-9a-fA-F]{6}")) {
      throw TriadError.unprocessable(
          "the manifest's image background must be #rrggbb, got '" + hex + "'");
    }
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return new int[] {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
  }

  /** The tensor shape for {@code n} images. */
  public List<Long> shape(long n) {
    return layout.equals(NCHW)
        ? List.of(n, (long) channelCount(), (long) height, (long) width)
        : List.of(n, (long) height, (long) width, (long) channelCount());
  }

  private static void oneOf(String field, String value, String... allowed) {
    if (!List.of(allowed).contains(value)) {
      throw TriadError.unprocessable(
          "the manifest's image "
              + field
              + " must be one of "
              + List.of(allowed)
              + ", got '"
              + value
              + "'");
    }
  }
}
