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
 */
public record ModelSignature(Map<String, TensorSpec> inputs, Map<String, TensorSpec> outputs) {

  public static ModelSignature of(OrtSession session) throws OrtException {
    return new ModelSignature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
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
