package io.triad.functions.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ImageInput;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Encoded pictures to one input tensor's values for an image model. An error names the picture it
 * came from ({@code instances[3]: ...}) and keeps its 4xx status.
 */
public final class ImageEncoder {
  /** Upload and labelled files Triad treats as one picture each. */
  private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

  private final ImageInput spec;
  private final ImageTensor tensor;
  private final int[] background;

  public ImageEncoder(ImageInput spec) {
    this.spec = spec;
    this.tensor = new ImageTensor(spec);
    this.background = spec.backgroundRgb();
  }

  public ImageInput spec() {
    return spec;
  }

  /**
   * The values of a [n, ...] tensor for {@code images}; {@code name.apply(i)} names image i in
   * errors.
   */
  public float[] encode(List<byte[]> images, IntFunction<String> name) {
    float[] out = new float[images.size() * spec.valuesPerImage()];
    for (int i = 0; i < images.size(); i++) {
      try {
        tensor.write(decode(images.get(i)), out, i * spec.valuesPerImage());
      } catch (TriadError e) {
        throw new TriadError(e.kind(), name.apply(i) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  public Picture decode(byte[] image) {
    return ImageDecoder.decode(image, spec.maxPixelsOrDefault(), background);
  }

  /** The bytes of a {@code {"b64": "..."}} instance. */
  public static byte[] fromInstance(JsonNode instance, String where) {
    JsonNode b64 = instance == null ? null : instance.get("b64");
    if (b64 == null || !b64.isTextual()) {
      throw TriadError.badRequest(
          where + " must be {\"b64\": \"<base64 PNG or JPEG>\"} for an image model");
    }
    return base64(b64.textValue(), where + ".b64");
  }

  /** Standard base64 (a {@code data:image/...;base64,} prefix and line breaks allowed). */
  public static byte[] base64(String text, String where) {
    String body =
        text.startsWith("data:") && text.contains(",")
            ? text.substring(text.indexOf(',') + 1)
            : text;
    try {
      return Base64.getDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw TriadError.badRequest(where + " is not valid base64: " + e.getMessage());
    }
  }

  public static boolean isImageKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(lower::endsWith);
  }
}
