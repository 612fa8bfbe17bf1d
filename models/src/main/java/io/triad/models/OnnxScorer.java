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
    try (Loaded loaded = load(model, OnnxExporter.INPUT, new long[] {features[0].length})) {
      return loaded.score(features);
    }
  }

  /**
   * The {@code probabilities} output for rows of {@code shape} ([C, H, W]) values fed to {@code
   * input}.
   */
  public float[][] score(byte[] model, String input, float[][] rows, long[] shape) {
    try (Loaded loaded = load(model, input, shape)) {
      return loaded.score(rows);
    }
  }

  /** {@code model} in a session, scoring batch after batch of rows of {@code rowShape}. */
  public Loaded load(byte[] model, String input, long[] rowShape) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      return new Loaded(environment.createSession(model, options), input, rowShape);
    } catch (OrtException e) {
      throw new TrainerException("ONNX Runtime rejected the exported model: " + e.getMessage(), e);
    }
  }

  /** A session over an exported model. */
  public final class Loaded implements AutoCloseable {
    private final OrtSession session;
    private final String input;
    private final long[] rowShape;

    private Loaded(OrtSession session, String input, long[] rowShape) {
      this.session = session;
      this.input = input;
      this.rowShape = rowShape.clone();
    }

    /** The {@code probabilities} output for {@code rows}. */
    public float[][] score(float[][] rows) {
      long[] dims = new long[rowShape.length + 1];
      dims[0] = rows.length;
      System.arraycopy(rowShape, 0, dims, 1, rowShape.length);
      int width = rows.length == 0 ? 0 : rows[0].length;
      float[] flat = new float[rows.length * width];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(rows[r], 0, flat, r * width, width);
      }
      try (OnnxTensor tensor =
              OnnxTensor.createTensor(environment, java.nio.FloatBuffer.wrap(flat), dims);
          OrtSession.Result result = session.run(Map.of(input, tensor))) {
        return (float[][])
            result
                .get(OnnxExporter.OUTPUT)
                .orElseThrow(
                    () ->
                        new TrainerException(
                            "the exported model has no output " + OnnxExporter.OUTPUT))
                .getValue();
      } catch (OrtException e) {
        throw new TrainerException(
            "ONNX Runtime rejected the exported model: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        throw new TrainerException("closing the ONNX Runtime session: " + e.getMessage(), e);
      }
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
