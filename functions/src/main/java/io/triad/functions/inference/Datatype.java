package io.triad.functions.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Arrays;
import java.util.Optional;

/** Open Inference Protocol datatypes and the ONNX Runtime element types they travel as. */
public enum Datatype {
  BOOL(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, OnnxJavaType.BOOL),
  UINT8(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, OnnxJavaType.UINT8),
  INT8(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, OnnxJavaType.INT8),
  INT16(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, OnnxJavaType.INT16),
  INT32(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, OnnxJavaType.INT32),
  INT64(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, OnnxJavaType.INT64),
  FP32(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, OnnxJavaType.FLOAT),
  FP64(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, OnnxJavaType.DOUBLE),
  BYTES(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, OnnxJavaType.STRING);

  private final OnnxTensorType onnxType;
  private final OnnxJavaType javaType;

  Datatype(OnnxTensorType onnxType, OnnxJavaType javaType) {
    this.onnxType = onnxType;
    this.javaType = javaType;
  }

  public OnnxJavaType javaType() {
    return javaType;
  }

  /** The protocol name of a model's element type; unsupported types keep ONNX's own name. */
  public static String nameOf(OnnxTensorType type) {
    return of(type)
        .map(Datatype::name)
        .orElse(type.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", ""));
  }

  public static Optional<Datatype> of(OnnxTensorType type) {
    return Arrays.stream(values()).filter(d -> d.onnxType == type).findFirst();
  }

  public static Optional<Datatype> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
  }

  public boolean isFloating() {
    return this == FP32 || this == FP64;
  }
}
