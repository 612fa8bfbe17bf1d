package io.triad.functions.image;

import io.triad.functions.model.ImageInput;

/**
 * Turns a {@link Picture} into the model's input values as its manifest says: bilinear resize
 * (plain, or shorter side then centre crop), channel selection and order, {@code (v * scale - mean)
 * / std}, NCHW or NHWC. Bilinear without an anti-aliasing prefilter, as ONNX Resize "linear" and
 * OpenCV's INTER_LINEAR do; large downscales alias a little.
 */
public final class ImageTensor {
  private final ImageInput spec;
  private final float[] scale;
  private final float[] shift;

  public ImageTensor(ImageInput spec) {
    this.spec = spec;
    int channels = spec.channelCount();
    this.scale = new float[channels];
    this.shift = new float[channels];
    for (int c = 0; c < channels; c++) {
      double mean = spec.mean().get(spec.mean().size() == 1 ? 0 : c);
      double std = spec.std().get(spec.std().size() == 1 ? 0 : c);
      scale[c] = (float) (spec.scaleOrDefault() / std);
      shift[c] = (float) (-mean / std);
    }
  }

  /**
   * Writes {@code picture}'s {@link ImageInput#valuesPerImage()} values into {@code out} from
   * {@code offset}.
   */
  public void write(Picture picture, float[] out, int offset) {
    int w = spec.width();
    int h = spec.height();
    Axis xs;
    Axis ys;
    if (spec.resize().equals(ImageInput.CENTER_CROP)) {
      double s = (double) spec.shorterSideOrDefault() / Math.min(picture.width(), picture.height());
      long resizedW = Math.round(picture.width() * s);
      long resizedH = Math.round(picture.height() * s);
      xs = Axis.of(w, picture.width(), s, (resizedW - w) / 2);
      ys = Axis.of(h, picture.height(), s, (resizedH - h) / 2);
    } else {
      xs = Axis.of(w, picture.width(), (double) w / picture.width(), 0);
      ys = Axis.of(h, picture.height(), (double) h / picture.height(), 0);
    }
    float[][] planes =
        switch (spec.channels()) {
          case ImageInput.GRAYSCALE -> new float[][] {picture.luminance()};
          case ImageInput.BGR -> new float[][] {picture.blue(), picture.green(), picture.red()};
          default -> new float[][] {picture.red(), picture.green(), picture.blue()};
        };
    boolean nchw = spec.layout().equals(ImageInput.NCHW);
    int channels = planes.length;
    int sw = picture.width();
    for (int c = 0; c < channels; c++) {
      float[] plane = planes[c];
      for (int y = 0; y < h; y++) {
        int row0 = ys.low[y] * sw;
        int row1 = ys.high[y] * sw;
        float fy = ys.weight[y];
        for (int x = 0; x < w; x++) {
          float fx = xs.weight[x];
          float top = plane[row0 + xs.low[x]] * (1 - fx) + plane[row0 + xs.high[x]] * fx;
          float bottom = plane[row1 + xs.low[x]] * (1 - fx) + plane[row1 + xs.high[x]] * fx;
          float v = (top * (1 - fy) + bottom * fy) * scale[c] + shift[c];
          out[offset + (nchw ? (c * h + y) * w + x : (y * w + x) * channels + c)] = v;
        }
      }
    }
  }

  /**
   * Per output coordinate: the two source indices and the weight of the second (half-pixel
   * centres).
   */
  private record Axis(int[] low, int[] high, float[] weight) {
    static Axis of(int size, int sourceSize, double scale, long offset) {
      int[] low = new int[size];
      int[] high = new int[size];
      float[] weight = new float[size];
      for (int i = 0; i < size; i++) {
        double source = (i + offset + 0.5) / scale - 0.5;
        source = Math.max(0, Math.min(sourceSize - 1, source));
        int l = (int) Math.floor(source);
        low[i] = l;
        high[i] = Math.min(l + 1, sourceSize - 1);
        weight[i] = (float) (source - l);
      }
      return new Axis(low, high, weight);
    }
  }
}
