package io.triad.functions.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.triad.functions.model.ModelManifest.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a loaded model accepts and returns, read once from the session's own metadata (not from the
 * manifest, which a person may have written by hand).
 *
 * @param dimensionNames each input's symbolic dimension names, position by position ({@code ""}
 *     where a dimension is fixed or unnamed): dimensions of one name must agree across inputs
 */
public record ModelSignature(
    Map<String, TensorSpec> inputs,
    Map<String, TensorSpec> outputs,
    Map<String, List<String>> dimensionNames) {

  public static ModelSignature of(OrtSession session) throws OrtException {
    return new ModelSignature(
        specs(session.getInputInfo()),
        specs(session.getOutputInfo()),
        dimensionNames(session.getInputInfo()));
  }

  private static Map<String, List<String>> dimensionNames(Map<String, NodeInfo> infos) {
    Map<String, List<String>> names = new LinkedHashMap<>();
    infos.forEach(
        (name, info) -> {
          if (info.getInfo() instanceof TensorInfo tensor) {
            String[] dims = tensor.getDimensionNames();
            long[] shape = tensor.getShape();
            List<String> symbolic = new ArrayList<>(shape.length);
            for (int i = 0; i < shape.length; i++) {
              boolean named = shape[i] < 0 && i < dims.length && dims[i] != null;
              symbolic.add(named ? dims[i] : "");
            }
            names.put(name, List.copyOf(symbolic));
          }
        });
    return Collections.unmodifiableMap(names);
  }

  public List<TensorSpec> inputList() {
    return new ArrayList<>(inputs.values());
  }

  public List<TensorSpec> outputList() {
    return new ArrayList<>(outputs.values());
  }

  private static Map<String, TensorSpec> specs(Map<String, NodeInfo> infos) {
    Map<String, TensorSpec> specs = new LinkedHashMap<>();
    infos.forEach(
        (name, info) -> {
          ValueInfo value = info.getInfo();
          if (value instanceof TensorInfo tensor) {
            List<Long> shape = Arrays.stream(tensor.getShape()).boxed().toList();
            specs.put(name, new TensorSpec(name, Datatype.nameOf(tensor.onnxType), shape));
          } else {
            specs.put(
                name,
                new TensorSpec(
                    name,
                    value.getClass().getSimpleName().replace("Info", "").toUpperCase(),
                    List.of()));
          }
        });
    return Collections.unmodifiableMap(specs);
  }
}
