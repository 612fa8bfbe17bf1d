package io.triad.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.triad.functions.inference.Postprocessor;
import java.util.Map;

/** Runs an exported model in ONNX Runtime (one intra-op thread), as the serving functions will. */
public final class OnnxScorer {
  private final OrtEnvironment environment;

  public OnnxScorer(OrtEnvironment environment) {
    this.environment = environment;
  }

  /** The {@code probabilities} output of {@code model} for raw {@code features} rows. */
  public float[][] score(byte[] model, float[][] features) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = environment.createSession(model, options);
          OnnxTensor input = OnnxTensor.createTensor(environment, features);
          OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
        Object value =
            result
                .get(OnnxExporter.OUTPUT)
                .orElseThrow(
                    () ->
                        new TrainerException(
                            "the exported model has no output " + OnnxExporter.OUTPUT))
                .getValue();
        return (float[][]) value;
      }
    } catch (OrtException e) {
      throw new TrainerException("ONNX Runtime rejected the exported model: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code probabilities} output for rows of {@code shape} ([C, H, W]) values fed to {@code
   * input}.
   */
  public float[][] score(byte[] model, String input, float[][] rows, long[] shape) {
    long[] dims = new long[shape.length + 1];
    dims[0] = rows.length;
    System.arraycopy(shape, 0, dims, 1, shape.length);
    int[] order = new int[rows.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = environment.createSession(model, options);
          OnnxTensor tensor =
              OnnxTensor.createTensor(
                  environment,
                  java.nio.FloatBuffer.wrap(TrainedCnn.flat(rows, order, 0, rows.length)),
                  dims);
          OrtSession.Result result = session.run(Map.of(input, tensor))) {
        return (float[][])
            result
                .get(OnnxExporter.OUTPUT)
                .orElseThrow(
                    () ->
                        new TrainerException(
                            "the exported model has no output " + OnnxExporter.OUTPUT))
                .getValue();
      }
    } catch (OrtException e) {
      throw new TrainerException("ONNX Runtime rejected the exported model: " + e.getMessage(), e);
    }
  }

  /** How many rows' highest-scoring class differs between {@code a} and {@code b}. */
  public static int classDisagreements(float[][] a, float[][] b) {
    int count = 0;
    for (int r = 0; r < a.length; r++) {
      if (Postprocessor.argmax(a[r]) != Postprocessor.argmax(b[r])) {
        count++;
      }
    }
    return count;
  }

  /** The largest absolute difference between two equally shaped matrices. */
  public static double maxAbsDiff(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new TrainerException("row counts differ: " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int r = 0; r < a.length; r++) {
      if (a[r].length != b[r].length) {
        throw new TrainerException(
            "row " + r + " widths differ: " + a[r].length + " vs " + b[r].length);
      }
      for (int c = 0; c < a[r].length; c++) {
        max = Math.max(max, Math.abs(a[r][c] - b[r][c]));
      }
    }
    return max;
  }
}
