package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxExporterTest {

  @Test
  void export_should_scaleThenApplyDenseLayersAndSoftmax_when_runInOnnxRuntime() {
    // given: x' = (x - [1, 2]) / [2, 4]; hidden = relu(x' W1^T + b1); logits = hidden W2^T + b2
    FeatureScaler scaler = new FeatureScaler(new float[] {1f, 2f}, new float[] {2f, 4f});
    DenseLayer hidden = new DenseLayer(2, 2, new float[] {1f, 0f, 0f, -1f}, new float[] {0f, 0.5f});
    DenseLayer output =
        new DenseLayer(3, 2, new float[] {1f, 0f, 0f, 1f, 1f, 1f}, new float[] {0f, 0f, -1f});
    float[][] raw = {{3f, 2f}, {1f, 6f}};

    // when
    byte[] onnx =
        new OnnxExporter("test").export("t", scaler, List.of(hidden, output), Map.of("k", "v"));
    float[][] probabilities = new OnnxScorer(OrtEnvironment.getEnvironment()).score(onnx, raw);

    // then: row 0 scales to [1, 0] -> hidden [1, 0.5] -> logits [1, 0.5, 0.5]
    //       row 1 scales to [0, 1] -> hidden [0, 0]   -> logits [0, 0, -1]
    assertThat(probabilities[0]).containsExactly(softmax(1, 0.5, 0.5), within(1e-6f));
    assertThat(probabilities[1]).containsExactly(softmax(0, 0, -1), within(1e-6f));
  }

  private static float[] softmax(double... logits) {
    double sum = 0;
    for (double l : logits) {
      sum += Math.exp(l);
    }
    float[] out = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = (float) (Math.exp(logits[i]) / sum);
    }
    return out;
  }
}
