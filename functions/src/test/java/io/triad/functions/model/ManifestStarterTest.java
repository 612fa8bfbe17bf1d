package io.triad.functions.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.testing.ColourModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestStarterTest {

  @Test
  void starter_shouldGuessNhwcImageInput_whenLastAxisHoldsThreeChannels() throws Exception {
    // given
    byte[] onnx = ColourModels.onnx(true);

    // when
    ModelManifest manifest = ManifestStarter.starter(onnx, "colours", "7");

    // then
    assertThat(manifest.sha256()).isEqualTo(Sha256.of(onnx));
    assertThat(manifest.inputs().get(0).shape()).containsExactly(-1L, 8L, 8L, 3L);
    ImageInput image = manifest.preprocessing().image();
    assertThat(manifest.preprocessing().isImage()).isTrue();
    assertThat(image.layout()).isEqualTo(ImageInput.NHWC);
    assertThat(image.channels()).isEqualTo(ImageInput.RGB);
    assertThat(List.of(image.width(), image.height())).containsExactly(8, 8);
    assertThat(manifest.postprocessing().output()).isEqualTo("scores");
    assertThat(manifest.postprocessing().labels()).containsExactly("0", "1");
  }

  @Test
  void starter_shouldGuessNchw_whenSecondAxisHoldsThreeChannels() throws Exception {
    // when
    ModelManifest manifest = ManifestStarter.starter(ColourModels.onnx(false), "colours", "7");

    // then
    assertThat(manifest.preprocessing().image().layout()).isEqualTo(ImageInput.NCHW);
  }
}
