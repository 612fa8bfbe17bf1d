package io.triad.functions.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelManifest.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns protocol tensors into ONNX Runtime tensors and back, checking each against the model's
 * signature first so that a wrong name, datatype, shape or value is a 400/422 that says what was
 * expected, never an ONNX Runtime error.
 */
public final class TensorCodec {
  private final OrtEnvironment env;

  public TensorCodec(OrtEnvironment env) {
    this.env = env;
  }

  /** Checks {@code input} against {@code spec} and builds the tensor; the caller closes it. */
  public OnnxTensor encode(NamedTensor input, TensorSpec spec) {
    Datatype type = checkDatatype(input, spec);
    long[] shape = checkShape(input, spec);
    int count = elementCount(input.name(), shape);
    FlatValues values = FlatValues.of(input.name(), input.data(), type, count);
    try {
      return switch (type) {
        case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(values.floats()), shape);
        case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(values.doubles()), shape);
        case INT8, UINT8, BOOL ->
            OnnxTensor.createTensor(env, ByteBuffer.wrap(values.bytes()), shape, type.javaType());
        case INT16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap(values.shorts()), shape);
        case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(values.ints()), shape);
        case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(values.longs()), shape);
        case BYTES -> OnnxTensor.createTensor(env, values.strings(), shape);
      };
    } catch (OrtException e) {
      throw TriadError.badRequest(
          "input '" + input.name() + "' cannot be built: " + e.getMessage());
    }
  }

  /** Reads a result value as a protocol tensor with a flat row-major primitive array. */
  public NamedTensor decode(String name, OnnxValue value) throws OrtException {
    if (!(value instanceof OnnxTensor tensor)) {
      throw TriadError.badRequest(
          "output '" + name + "' is a " + value.getType() + ", which the protocol cannot carry");
    }
    TensorInfo info = tensor.getInfo();
    List<Long> shape = Arrays.stream(info.getShape()).boxed().toList();
    Datatype type =
        Datatype.of(info.onnxType)
            .orElseThrow(
                () ->
                    TriadError.badRequest(
                        "output '" + name + "' has unsupported type " + info.onnxType));
    Object data =
        switch (type) {
          case FP32 -> array(tensor.getFloatBuffer());
          case FP64 -> array(tensor.getDoubleBuffer());
          case INT64 -> array(tensor.getLongBuffer());
          case INT32 -> array(tensor.getIntBuffer());
          case INT16 -> shortsAsInts(tensor.getShortBuffer());
          case INT8 -> bytesAsInts(tensor.getByteBuffer(), false);
          case UINT8 -> bytesAsInts(tensor.getByteBuffer(), true);
          case BOOL -> booleans(tensor.getByteBuffer());
          case BYTES -> flattenStrings(tensor.getValue());
        };
    return NamedTensor.of(name, type.name(), shape, data);
  }

  private static Datatype checkDatatype(NamedTensor input, TensorSpec spec) {
    Datatype expected =
        Datatype.parse(spec.datatype())
            .orElseThrow(
                () ->
                    TriadError.badRequest(
                        "input '"
                            + input.name()
                            + "' has type "
                            + spec.datatype()
                            + ", which this server cannot feed"));
    if (input.datatype() == null) {
      throw TriadError.badRequest(
          "input '" + input.name() + "' needs a datatype; the model expects " + expected);
    }
    if (!expected.name().equals(input.datatype())) {
      throw TriadError.badRequest(
          "input '"
              + input.name()
              + "' has datatype "
              + input.datatype()
              + "; the model expects "
              + expected
              + " with shape "
              + spec.shape());
    }
    return expected;
  }

  private static long[] checkShape(NamedTensor input, TensorSpec spec) {
    if (input.shape() == null) {
      throw TriadError.badRequest(
          "input '" + input.name() + "' needs a shape; the model expects " + spec.shape());
    }
    long[] shape = input.shape().stream().mapToLong(d -> d == null ? -2 : d).toArray();
    boolean fits = spec.shape().isEmpty() || shape.length == spec.shape().size();
    for (int i = 0; fits && i < shape.length; i++) {
      long want = spec.shape().isEmpty() ? -1 : spec.shape().get(i);
      fits = shape[i] >= 0 && (want < 0 || want == shape[i]);
    }
    if (!fits) {
      throw TriadError.badRequest(
          "input '"
              + input.name()
              + "' has shape "
              + input.shape()
              + "; the model expects "
              + spec.shape()
              + " ("
              + spec.datatype()
              + ", -1 is any size)");
    }
    return shape;
  }

  private static int elementCount(String name, long[] shape) {
    long count = 1;
    for (long d : shape) {
      count = Math.multiplyExact(count, d);
      if (count > Integer.MAX_VALUE - 8) {
        throw new TriadError(
            TriadError.Kind.PAYLOAD_TOO_LARGE, "input '" + name + "' is too large");
      }
    }
    return (int) count;
  }

  private static float[] array(FloatBuffer b) {
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  private static double[] array(DoubleBuffer b) {
    double[] a = new double[b.remaining()];
    b.get(a);
    return a;
  }

  private static long[] array(LongBuffer b) {
    long[] a = new long[b.remaining()];
    b.get(a);
    return a;
  }

  private static int[] array(IntBuffer b) {
    int[] a = new int[b.remaining()];
    b.get(a);
    return a;
  }

  private static int[] shortsAsInts(ShortBuffer b) {
    int[] a = new int[b.remaining()];
    for (int i = 0; i < a.length; i++) {
      a[i] = b.get();
    }
    return a;
  }

  private static int[] bytesAsInts(ByteBuffer b, boolean unsigned) {
    b.order(ByteOrder.nativeOrder());
    int[] a = new int[b.remaining()];
    for (int i = 0; i < a.length; i++) {
      byte v = b.get();
      a[i] = unsigned ? Byte.toUnsignedInt(v) : v;
    }
    return a;
  }

  private static boolean[] booleans(ByteBuffer b) {
    boolean[] a = new boolean[b.remaining()];
    for (int i = 0; i < a.length; i++) {
      a[i] = b.get() != 0;
    }
    return a;
  }

  private static String[] flattenStrings(Object value) {
    if (value instanceof String s) {
      return new String[] {s};
    }
    if (value instanceof String[] strings) {
      return strings;
    }
    return Arrays.stream((Object[]) value)
        .flatMap(v -> Arrays.stream(flattenStrings(v)))
        .toArray(String[]::new);
  }
}
