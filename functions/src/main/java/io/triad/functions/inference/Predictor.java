package io.triad.functions.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.model.ModelRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code predict} function: runs any ONNX model on protocol tensors. Inputs are checked against
 * the session's own signature; outputs may be selected by name.
 */
public final class Predictor implements Function<InferenceCall, InferenceResponse> {
  private static final Pattern SHAPE_FAULT =
      Pattern.compile("(?i)shape|dimension|broadcast|reshape|\\bdims?\\b|rank|size");

  /** The logging context's key naming the version whose run failed while a request was handled. */
  public static final String MODEL_FAULT_KEY = "model_fault";

  private final ModelRegistry registry;
  private final TensorCodec codec;

  public Predictor(ModelRegistry registry, TensorCodec codec) {
    this.registry = registry;
    this.codec = codec;
  }

  @Override
  public InferenceResponse apply(InferenceCall call) {
    if (call.request() == null
        || call.request().inputs() == null
        || call.request().inputs().isEmpty()) {
      throw TriadError.badRequest("the request has no inputs");
    }
    try (ModelLease lease = registry.acquire(call.model(), call.version())) {
      return run(lease, call.request());
    }
  }

  /** Runs {@code request} on a model the caller already holds (a served version or a candidate). */
  public InferenceResponse run(ModelLease lease, InferenceRequest request) {
    if (request == null || request.inputs() == null || request.inputs().isEmpty()) {
      throw TriadError.badRequest("the request has no inputs");
    }
    ModelSignature signature = lease.signature();
    Set<String> wanted = outputsWanted(request, signature);
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      for (NamedTensor input : request.inputs()) {
        TensorSpec spec = specFor(input, signature);
        if (inputs.containsKey(input.name())) {
          throw TriadError.badRequest("input '" + input.name() + "' is given twice");
        }
        inputs.put(input.name(), codec.encode(input, spec));
      }
      checkAllInputs(inputs.keySet(), signature);
      checkSharedDimensions(inputs, signature);
      return execute(lease, request.id(), inputs, wanted);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private InferenceResponse execute(
      ModelLease lease, String id, Map<String, OnnxTensor> inputs, Set<String> wanted) {
    try (OrtSession.Result result = lease.session().run(inputs, wanted)) {
      List<NamedTensor> outputs = new ArrayList<>(wanted.size());
      for (Map.Entry<String, OnnxValue> output : result) {
        outputs.add(codec.decode(output.getKey(), output.getValue()));
      }
      return new InferenceResponse(lease.name(), lease.version(), id, null, outputs);
    } catch (OrtException e) {
      if (org.slf4j.MDC.get(io.triad.functions.api.RequestId.MDC_KEY) != null) {
        // the model itself failed to run: counted against its version by a rollout, whatever the
        // status says of the inputs
        org.slf4j.MDC.put(MODEL_FAULT_KEY, lease.version());
      }
      if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT || isShapeFault(e)) {
        throw TriadError.badRequest("the model cannot run on these inputs: " + statusOf(e));
      }
      throw new IllegalStateException(
          "model " + lease.name() + " version " + lease.version() + " failed: " + e.getMessage(),
          e);
    }
  }

  /**
   * Dimensions the model names alike (batch, sequence) must have one size across all inputs: ONNX
   * Runtime would otherwise broadcast them silently or fail inside the graph.
   */
  private static void checkSharedDimensions(
      Map<String, OnnxTensor> inputs, ModelSignature signature) {
    Map<String, String> firstSeen = new HashMap<>();
    Map<String, Long> sizes = new HashMap<>();
    for (Map.Entry<String, List<String>> input : signature.dimensionNames().entrySet()) {
      OnnxTensor tensor = inputs.get(input.getKey());
      if (tensor == null) {
        continue;
      }
      long[] shape = tensor.getInfo().getShape();
      List<String> names = input.getValue();
      for (int i = 0; i < names.size() && i < shape.length; i++) {
        String dimension = names.get(i);
        if (dimension.isEmpty()) {
          continue;
        }
        Long size = sizes.putIfAbsent(dimension, shape[i]);
        if (size == null) {
          firstSeen.put(dimension, input.getKey());
        } else if (size != shape[i]) {
          throw TriadError.badRequest(
              "inputs disagree on dimension '"
                  + dimension
                  + "': "
                  + firstSeen.get(dimension)
                  + " has "
                  + size
                  + ", "
                  + input.getKey()
                  + " has "
                  + shape[i]
                  + " (the model declares both as '"
                  + dimension
                  + "', so they must be equal)");
        }
      }
    }
  }

  /**
   * A failure inside the graph that the inputs' sizes caused (a reshape or broadcast that fails).
   */
  private static boolean isShapeFault(OrtException e) {
    return (e.getCode() == OrtException.OrtErrorCode.ORT_RUNTIME_EXCEPTION
            || e.getCode() == OrtException.OrtErrorCode.ORT_FAIL
            || e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_GRAPH)
        && e.getMessage() != null
        && SHAPE_FAULT.matcher(e.getMessage()).find();
  }

  /** ONNX Runtime's own status text, without its error-code preamble. */
  private static String statusOf(OrtException e) {
    String message = String.valueOf(e.getMessage());
    int status = message.indexOf("Status Message: ");
    if (status >= 0) {
      message = message.substring(status + "Status Message: ".length());
    } else {
      int colon = message.indexOf("message: ");
      message = colon >= 0 ? message.substring(colon + "message: ".length()) : message;
    }
    message = message.strip();
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }

  private static TensorSpec specFor(NamedTensor input, ModelSignature signature) {
    if (input == null || input.name() == null) {
      throw TriadError.badRequest(
          "every input needs a name; the model takes " + signature.inputs().keySet());
    }
    TensorSpec spec = signature.inputs().get(input.name());
    if (spec == null) {
      throw TriadError.badRequest(
          "the model has no input '"
              + input.name()
              + "'; it takes "
              + describe(signature.inputList()));
    }
    return spec;
  }

  private static void checkAllInputs(Set<String> given, ModelSignature signature) {
    for (String name : signature.inputs().keySet()) {
      if (!given.contains(name)) {
        throw TriadError.badRequest(
            "input '" + name + "' is missing; the model takes " + describe(signature.inputList()));
      }
    }
  }

  private static Set<String> outputsWanted(InferenceRequest request, ModelSignature signature) {
    if (request.outputs() == null || request.outputs().isEmpty()) {
      Set<String> all = new LinkedHashSet<>();
      signature
          .outputs()
          .forEach(
              (name, spec) -> {
                if (Datatype.parse(spec.datatype()).isPresent()) {
                  all.add(name);
                }
              });
      return all;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (InferenceRequest.RequestedOutput output : request.outputs()) {
      if (output == null || !signature.outputs().containsKey(output.name())) {
        throw TriadError.badRequest(
            "the model has no output '"
                + (output == null ? null : output.name())
                + "'; it returns "
                + signature.outputs().keySet());
      }
      wanted.add(output.name());
    }
    return wanted;
  }

  private static String describe(List<TensorSpec> specs) {
    return specs.stream()
        .map(s -> s.name() + " " + s.datatype() + " " + s.shape())
        .toList()
        .toString();
  }
}
