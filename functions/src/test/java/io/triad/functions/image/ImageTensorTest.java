package io.triad.functions.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.triad.functions.model.ImageInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTensorTest {
  /** 2x1: a red pixel, then a blue one. */
  private static final Picture RED_BLUE =
      new Picture(2, 1, new float[] {255, 0}, new float[] {0, 0}, new float[] {0, 255});

  private static ImageInput spec(
      int w,
      int h,
      String layout,
      String channels,
      String resize,
      Integer shorter,
      List<Double> mean,
      List<Double> std) {
    return new ImageInput(w, h, layout, channels, resize, shorter, null, mean, std, null, null);
  }

  @Test
  void write_shouldPutChannelsFirst_whenLayoutIsNchw() {
    // given
    float[] out = new float[6];

    // when
    new ImageTensor(spec(2, 1, "NCHW", "rgb", null, null, null, null)).write(RED_BLUE, out, 0);

    // then: R plane, G plane, B plane
    assertThat(out).containsExactly(new float[] {1, 0, 0, 0, 0, 1}, within(1e-6f));
  }

  @Test
  void write_shouldInterleaveChannels_whenLayoutIsNhwcAndOrderIsBgr() {
    // given
    float[] out = new float[6];

    // when
    new ImageTensor(spec(2, 1, "NHWC", "bgr", null, null, null, null)).write(RED_BLUE, out, 0);

    // then: pixel by pixel, blue first
    assertThat(out).containsExactly(new float[] {0, 0, 1, 1, 0, 0}, within(1e-6f));
  }

  @Test
  void write_shouldNormalizePerChannel_whenMeanAndStdGiven() {
    // given
    float[] out = new float[6];

    // when
    new ImageTensor(
            spec(2, 1, "NCHW", "rgb", null, null, List.of(0.5, 0.0, 0.25), List.of(0.5, 1.0, 0.25)))
        .write(RED_BLUE, out, 0);

    // then
    assertThat(out).containsExactly(new float[] {1, -1, 0, 0, -1, 3}, within(1e-6f));
  }

  @Test
  void write_shouldInterpolateBilinearly_whenEnlarging() {
    // given: 2x1 gray 0 and 255 stretched to 4x1 (half-pixel centres: 0, 63.75, 191.25, 255)
    Picture ramp = new Picture(2, 1, new float[] {0, 255}, null, null);
    Picture gray = new Picture(2, 1, ramp.red(), ramp.red(), ramp.red());
    float[] out = new float[4];

    // when
    new ImageTensor(spec(4, 1, "NCHW", "grayscale", null, null, null, null)).write(gray, out, 0);

    // then
    assertThat(out).containsExactly(new float[] {0, 0.25f, 0.75f, 1}, within(1e-6f));
  }

  @Test
  void write_shouldKeepTheCentre_whenShorterSideResizeAndCrop() {
    // given: 6x2 with columns 0..5 valued 0,0,255,255,0,0; shorter side 2 (no scaling), crop 2x2
    float[] v = {0, 0, 255, 255, 0, 0, 0, 0, 255, 255, 0, 0};
    Picture wide = new Picture(6, 2, v, v, v);
    float[] out = new float[4];

    // when
    new ImageTensor(spec(2, 2, "NCHW", "grayscale", ImageInput.CENTER_CROP, 2, null, null))
        .write(wide, out, 0);

    // then: only the bright middle columns remain
    assertThat(out).containsExactly(new float[] {1, 1, 1, 1}, within(1e-6f));
  }

  @Test
  void write_shouldUseLuminance_whenModelWantsGrayscaleOfColourPicture() {
    // given
    float[] out = new float[2];

    // when
    new ImageTensor(spec(2, 1, "NCHW", "grayscale", null, null, null, null))
        .write(RED_BLUE, out, 0);

    // then
    assertThat(out).containsExactly(new float[] {0.299f, 0.114f}, within(1e-5f));
  }
}
