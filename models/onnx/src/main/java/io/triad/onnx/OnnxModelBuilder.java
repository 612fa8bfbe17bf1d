package io.triad.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX model file (IR 8, opset 17) from nodes, initializers and typed inputs/outputs,
 * using the field numbers of the public onnx.proto schema. Enough for the graphs Triad exports and
 * for test models of every tensor type; it does no shape inference or checking of its own, ONNX
 * Runtime does that when it loads the file.
 */
public final class OnnxModelBuilder {
  public static final long IR_VERSION = 8;
  public static final long OPSET = 17;

  /** ONNX TensorProto.DataType codes. */
  public enum ElementType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    STRING(8, 0),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8);

    final int code;
    final int bytes;

    ElementType(int code, int bytes) {
      this.code = code;
      this.bytes = bytes;
    }
  }

  /** A node attribute: int, float, ints or string. */
  public record Attribute(String name, Object value) {
    public static Attribute of(String name, long value) {
      return new Attribute(name, value);
    }

    public static Attribute of(String name, float value) {
      return new Attribute(name, value);
    }

    public static Attribute of(String name, long[] values) {
      return new Attribute(name, values.clone());
    }

    public static Attribute of(String name, String value) {
      return new Attribute(name, value);
    }
  }

  private final String graphName;
  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private String producer = "triad";
  private int nodeCount;

  public OnnxModelBuilder(String graphName) {
    this.graphName = graphName;
  }

  public OnnxModelBuilder producer(String name) {
    this.producer = name;
    return this;
  }

  /** A graph input; a negative dimension is dynamic (named "N" for the first, "d{i}" otherwise). */
  public OnnxModelBuilder input(String name, ElementType type, long... shape) {
    inputs.add(valueInfo(name, type, shape));
    return this;
  }

  public OnnxModelBuilder output(String name, ElementType type, long... shape) {
    outputs.add(valueInfo(name, type, shape));
    return this;
  }

  public OnnxModelBuilder initializer(String name, float[] values, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return rawInitializer(name, ElementType.FLOAT, raw.array(), dims);
  }

  public OnnxModelBuilder initializer(String name, long[] values, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return rawInitializer(name, ElementType.INT64, raw.array(), dims);
  }

  /** An initializer from little-endian raw bytes of {@code type}. */
  public OnnxModelBuilder rawInitializer(String name, ElementType type, byte[] raw, long... dims) {
    ProtoWriter tensor = new ProtoWriter();
    for (long dim : dims) {
      tensor.int64(1, dim);
    }
    tensor.int32(2, type.code).string(8, name).bytes(9, raw);
    initializers.add(tensor);
    return this;
  }

  public OnnxModelBuilder node(
      String opType, List<String> in, List<String> out, Attribute... attributes) {
    ProtoWriter node = new ProtoWriter();
    in.forEach(name -> node.string(1, name));
    out.forEach(name -> node.string(2, name));
    node.string(3, opType.toLowerCase() + "_" + nodeCount++).string(4, opType);
    for (Attribute attribute : attributes) {
      node.message(5, attribute(attribute));
    }
    nodes.add(node);
    return this;
  }

  public OnnxModelBuilder metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public byte[] toBytes() {
    ProtoWriter graph = new ProtoWriter();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(v -> graph.message(11, v));
    outputs.forEach(v -> graph.message(12, v));

    ProtoWriter model = new ProtoWriter().int64(1, IR_VERSION).string(2, producer);
    model.message(7, graph);
    model.message(8, new ProtoWriter().string(1, "").int64(2, OPSET));
    metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
    return model.toBytes();
  }

  private static ProtoWriter valueInfo(String name, ElementType type, long[] shape) {
    ProtoWriter dims = new ProtoWriter();
    for (int i = 0; i < shape.length; i++) {
      ProtoWriter dim = new ProtoWriter();
      if (shape[i] < 0) {
        dim.string(2, i == 0 ? "N" : "d" + i);
      } else {
        dim.int64(1, shape[i]);
      }
      dims.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().int32(1, type.code).message(2, dims);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }

  private static ProtoWriter attribute(Attribute attribute) {
    ProtoWriter a = new ProtoWriter().string(1, attribute.name());
    Object value = attribute.value();
    if (value instanceof Float f) {
      a.float32(2, f).int32(20, 1);
    } else if (value instanceof Long l) {
      a.int64(3, l).int32(20, 2);
    } else if (value instanceof String s) {
      a.bytes(4, s.getBytes(StandardCharsets.UTF_8)).int32(20, 3);
    } else if (value instanceof long[] ints) {
      for (long i : ints) {
        a.int64(8, i);
      }
      a.int32(20, 7);
    } else {
      throw new IllegalArgumentException("unsupported attribute value " + value);
    }
    return a;
  }
}
