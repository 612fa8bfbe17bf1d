package io.triad.functions.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.testing.ColourModels;
import io.triad.onnx.OnnxModelBuilder;
import io.triad.onnx.OnnxModelBuilder.ElementType;
import java.util.ArrayList;
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

  /**
   * An NCHW image model: {@code x} of {@code shape}, averaged per channel, times weights into
   * {@code classes} scores (ONNX Runtime then knows the output's last dimension).
   */
  private static byte[] model(long[] shape, int classes) {
    int channels = (int) shape[1];
    return new OnnxModelBuilder("m")
        .input("x", ElementType.FLOAT, shape)
        .initializer("w", new float[channels * classes], channels, classes)
        .output("scores", ElementType.FLOAT, -1, classes)
        .node("GlobalAveragePool", List.of("x"), List.of("pooled"))
        .node("Flatten", List.of("pooled"), List.of("flat"))
        .node("MatMul", List.of("flat", "w"), List.of("scores"))
        .toBytes();
  }

  @Test
  void starter_shouldKeepAFixedHeight_whenOnlyTheWidthIsDynamic() throws Exception {
    // given a text-line recogniser's input: NCHW, height fixed at 48, width dynamic
    List<String> warnings = new ArrayList<>();

    // when
    ModelManifest manifest =
        ManifestStarter.starter(model(new long[] {-1, 3, 48, -1}, 10), "ocr", "1", warnings);

    // then the fixed height stands, the width is drafted from it, and the guess is said
    ImageInput image = manifest.preprocessing().image();
    assertThat(image.height()).isEqualTo(48);
    assertThat(image.width()).isEqualTo(48);
    assertThat(warnings).anyMatch(w -> w.startsWith("the width is dynamic"));
  }

  @Test
  void starter_shouldNotCropASmallPicture_whenTheModelFixesItsSize() throws Exception {
    // given a 28x28 grayscale digit model
    List<String> warnings = new ArrayList<>();
    ModelManifest manifest =
        ManifestStarter.starter(model(new long[] {-1, 1, 28, 28}, 10), "digits", "1", warnings);

    // then the shorter side is resized to 28 (no margin cropped off), and every guess is listed
    ImageInput image = manifest.preprocessing().image();
    assertThat(List.of(image.width(), image.height(), image.resizeShorter()))
        .containsExactly(28, 28, 28);
    assertThat(warnings)
        .anyMatch(w -> w.startsWith("layout read as NCHW"))
        .anyMatch(w -> w.startsWith("labels are"))
        .anyMatch(w -> w.contains("softmax applied"));
  }

  @Test
  void starter_shouldDraftATensorOnlyManifest_whenTheOutputIsNotClassScores() throws Exception {
    // given an embedding model: one value per row is not class scores, nor is a rank-3 output
    List<String> warnings = new ArrayList<>();
    ModelManifest oneValue =
        ManifestStarter.starter(model(new long[] {-1, 3, 8, 8}, 1), "vad", "1", warnings);
    ModelManifest sequence =
        ManifestStarter.starter(
            new OnnxModelBuilder("seq")
                .input("x", ElementType.FLOAT, -1, -1, 8)
                .output("y", ElementType.FLOAT, -1, -1, 8)
                .node("Identity", List.of("x"), List.of("y"))
                .toBytes(),
            "ctc",
            "1",
            warnings);

    // then neither gets labels, softmax or top-k drafted, and the warning says how to call them
    assertThat(oneValue.postprocessing()).isNull();
    assertThat(oneValue.preprocessing()).isNull();
    assertThat(sequence.postprocessing()).isNull();
    assertThat(warnings).anyMatch(w -> w.contains("tensor-only manifest"));
  }

  @Test
  void starter_shouldDraftATensorOnlyManifest_whenTheModelHasSeveralOutputs() throws Exception {
    // given a model answering two tensors (a detector's boxes and scores, say)
    List<String> warnings = new ArrayList<>();
    byte[] onnx =
        new OnnxModelBuilder("two")
            .input("x", ElementType.FLOAT, -1, 4)
            .output("boxes", ElementType.FLOAT, -1, 4)
            .output("scores", ElementType.FLOAT, -1, 4)
            .node("Identity", List.of("x"), List.of("boxes"))
            .node("Identity", List.of("x"), List.of("scores"))
            .toBytes();

    // when
    ModelManifest manifest = ManifestStarter.starter(onnx, "detector", "1", warnings);

    // then both outputs are described, none is taken for class scores, and the reason is printed
    assertThat(manifest.outputs())
        .extracting(ModelManifest.TensorSpec::name)
        .containsExactly("boxes", "scores");
    assertThat(manifest.postprocessing()).isNull();
    assertThat(manifest.sha256()).isEqualTo(Sha256.of(onnx));
    assertThat(warnings).anyMatch(w -> w.contains("tensor-only manifest"));
  }
}
