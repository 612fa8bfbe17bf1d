package io.triad.functions.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.PredictCall;
import io.triad.functions.api.TriadError;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.model.ImageInput;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelRegistry;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The {@code preprocess} function: feature records (or {@code {"b64": ...}} pictures for an image
 * model) to the model's input tensor. It pins the version it read the manifest of, so {@code
 * predict} runs the same version even if a promotion lands between the two.
 */
public final class Preprocessor implements Function<PredictCall, InferenceCall> {
  /** Instances per request; larger inputs belong in an upload. */
  public static final int MAX_INSTANCES = 100_000;

  private final ModelRegistry registry;

  public Preprocessor(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public InferenceCall apply(PredictCall call) {
    if (call.instances() == null || call.instances().isEmpty()) {
      throw TriadError.badRequest("'instances' must be a non-empty array");
    }
    if (call.instances().size() > MAX_INSTANCES) {
      throw new TriadError(
          TriadError.Kind.PAYLOAD_TOO_LARGE,
          call.instances().size()
              + " instances in one request; the limit is "
              + MAX_INSTANCES
              + ", upload a file instead");
    }
    try (ModelLease lease = registry.acquire(call.model(), call.version())) {
      return new InferenceCall(
          lease.name(),
          lease.version(),
          toRequest(lease.manifest(), call.instances(), call.origin()));
    }
  }

  /**
   * Encodes JSON instances for {@code manifest}'s model: one FP32 [rows, width] input, the scored
   * output requested.
   */
  public static InferenceRequest toRequest(
      ModelManifest manifest, List<JsonNode> rows, PredictCall.RowOrigin origin) {
    if (manifest.preprocessing() != null && manifest.preprocessing().isImage()) {
      List<byte[]> images = new java.util.ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        images.add(
            ImageEncoder.fromInstance(
                rows.get(i), origin.label() + "[" + (origin.first() + i) + "]"));
      }
      return toImageRequest(
          manifest, images, i -> origin.label() + "[" + (origin.first() + i) + "]");
    }
    TabularEncoder encoder = new TabularEncoder(manifest.preprocessing());
    return request(
        manifest,
        encoder.encode(rows, origin.label(), origin.first(), origin.textValues()),
        rows.size(),
        encoder.width());
  }

  /** Encodes upload rows; errors name rows by their number in the file. */
  public static InferenceRequest toRequest(
      ModelManifest manifest, List<RecordSource.Row> rows, boolean textValues) {
    TabularEncoder encoder = new TabularEncoder(manifest.preprocessing());
    return request(manifest, encoder.encode(rows, textValues), rows.size(), encoder.width());
  }

  /** Encodes pictures for an image model: one FP32 tensor in the manifest's layout. */
  public static InferenceRequest toImageRequest(
      ModelManifest manifest, List<byte[]> images, IntFunction<String> name) {
    ImageInput spec = manifest.preprocessing().image();
    if (spec == null) {
      throw TriadError.unprocessable(
          "the manifest of " + manifest.name() + " is of kind image but has no 'image' section");
    }
    float[] values = new ImageEncoder(spec).encode(images, name);
    return request(manifest, values, spec.shape(images.size()));
  }

  private static InferenceRequest request(
      ModelManifest manifest, float[] matrix, int rows, int width) {
    return request(manifest, matrix, List.of((long) rows, (long) width));
  }

  private static InferenceRequest request(
      ModelManifest manifest, float[] matrix, List<Long> shape) {
    NamedTensor tensor = NamedTensor.of(inputName(manifest), "FP32", shape, matrix);
    List<InferenceRequest.RequestedOutput> outputs =
        manifest.postprocessing() == null || manifest.postprocessing().output() == null
            ? null
            : List.of(
                new InferenceRequest.RequestedOutput(manifest.postprocessing().output(), null));
    return new InferenceRequest(null, null, List.of(tensor), outputs);
  }

  private static String inputName(ModelManifest manifest) {
    String input = manifest.preprocessing().input();
    if (input != null) {
      return input;
    }
    if (manifest.inputs().size() == 1) {
      return manifest.inputs().get(0).name();
    }
    throw TriadError.unprocessable(
        "the manifest of " + manifest.name() + " does not say which input the features feed");
  }
}
