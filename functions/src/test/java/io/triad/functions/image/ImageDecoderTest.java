package io.triad.functions.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.triad.functions.api.TriadError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDecoderTest {
  private static final int[] WHITE = {255, 255, 255};
  private static final long LIMIT = 1_000_000;

  static byte[] fixture(String name) {
    try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/images/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void decode_shouldKeepGraySamples_whenPngIsGrayscale() throws IOException {
    // given: an MNIST digit; ImageIO's getRGB would brighten mid-greys through a gamma curve
    byte[] png = fixture("digit.png");
    var raster = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getRaster();

    // when
    Picture picture = ImageDecoder.decode(png, LIMIT, WHITE);

    // then
    assertThat(picture.isGray()).isTrue();
    for (int i = 0; i < 28 * 28; i++) {
      assertThat(picture.red()[i]).isEqualTo(raster.getSample(i % 28, i / 28, 0));
    }
  }

  @Test
  void decode_shouldTurnPictureUpright_whenJpegHasExifOrientation6() {
    // given: stored 16x8, red left half and blue right half, EXIF orientation 6 (rotate 90
    // clockwise)
    byte[] jpeg = fixture("exif-rotated.jpg");

    // when
    Picture picture = ImageDecoder.decode(jpeg, LIMIT, WHITE);

    // then: upright it is 8x16, red on top, blue below
    assertThat(ExifOrientation.of(jpeg)).isEqualTo(6);
    assertThat(picture.width()).isEqualTo(8);
    assertThat(picture.height()).isEqualTo(16);
    assertThat(picture.red()[2 * 8 + 4]).isGreaterThan(200);
    assertThat(picture.blue()[13 * 8 + 4]).isGreaterThan(200);
    assertThat(picture.red()[13 * 8 + 4]).isLessThan(60);
  }

  @Test
  void decode_shouldReadBothKinds_whenJpegIsBaselineOrProgressive() {
    // when
    Picture baseline = ImageDecoder.decode(fixture("baseline.jpg"), LIMIT, WHITE);
    Picture progressive = ImageDecoder.decode(fixture("progressive.jpg"), LIMIT, WHITE);

    // then
    assertThat(ExifOrientation.of(fixture("baseline.jpg"))).isEqualTo(ExifOrientation.AS_STORED);
    assertThat(baseline.width()).isEqualTo(16);
    assertThat(progressive.width()).isEqualTo(16);
    assertThat(progressive.red()[0]).isGreaterThan(200);
    assertThat(progressive.blue()[15]).isGreaterThan(200);
  }

  @Test
  void decode_shouldCompositeOnBackground_whenPngHasAlpha() {
    // given: transparent 4x4 with one opaque blue pixel
    byte[] png = fixture("rgba.png");

    // when
    Picture onBlack = ImageDecoder.decode(png, LIMIT, new int[] {0, 0, 0});
    Picture onWhite = ImageDecoder.decode(png, LIMIT, WHITE);

    // then
    assertThat(onBlack.blue()[0]).isEqualTo(255f);
    assertThat(onBlack.red()[0]).isEqualTo(0f);
    assertThat(onBlack.red()[5]).isEqualTo(0f);
    assertThat(onWhite.red()[5]).isEqualTo(255f);
  }

  @Test
  void decode_shouldScaleTo8BitRange_whenPngHas16BitSamples() {
    // given: a 16-bit grayscale PNG is converted, not refused: samples 65535 and 32896
    // when
    Picture picture = ImageDecoder.decode(fixture("gray16.png"), LIMIT, WHITE);

    // then
    assertThat(picture.red()[0]).isEqualTo(255f, within(1e-3f));
    assertThat(picture.red()[1]).isEqualTo(128.0f, within(0.01f));
  }

  @Test
  void decode_shouldAccept_whenImageIsOnePixel() {
    // when
    Picture picture = ImageDecoder.decode(fixture("one-pixel.png"), LIMIT, WHITE);

    // then
    assertThat(picture.width()).isEqualTo(1);
    assertThat(picture.red()[0]).isEqualTo(255f);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "empty.png, 422, empty",
    "not-an-image.png, 415, not an image",
    "truncated.png, 422, truncated or corrupt",
    "truncated.jpg, 422, truncated or corrupt",
    "cmyk.jpg, 415, CMYK",
    "cmyk-plain.jpg, 415, CMYK",
    "bomb.png, 413, refused before decoding"
  })
  void decode_shouldRefuseWith4xx_whenInputIsBad(String name, int status, String says) {
    // when / then
    assertThatThrownBy(() -> ImageDecoder.decode(fixture(name), LIMIT, WHITE))
        .isInstanceOfSatisfying(
            TriadError.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.getMessage()).contains(says);
            });
  }

  @Test
  void decode_shouldNotAllocatePixels_whenHeaderClaimsTenGigapixels() {
    // given: 69 bytes that claim 100000 x 100000
    byte[] bomb = fixture("bomb.png");

    // when / then: refused from the header; decoding would need 10 GB
    assertThatThrownBy(() -> ImageDecoder.decode(bomb, ImageInputDefaults.MAX, WHITE))
        .hasMessageContaining("100000x100000");
  }

  @Test
  void base64_shouldAnswer400_whenTextIsNotBase64() {
    // when / then
    assertThatThrownBy(() -> ImageEncoder.base64("not base64 at all!", "instances[0].b64"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("instances[0].b64 is not valid base64");
  }

  @Test
  void base64_shouldDecode_whenTextIsDataUri() {
    // given
    byte[] png = fixture("digit.png");

    // when / then
    assertThat(
            ImageEncoder.base64(
                "data:image/png;base64," + Base64.getEncoder().encodeToString(png), "x"))
        .isEqualTo(png);
  }

  private static final class ImageInputDefaults {
    static final long MAX = io.triad.functions.model.ImageInput.DEFAULT_MAX_PIXELS;
  }
}
