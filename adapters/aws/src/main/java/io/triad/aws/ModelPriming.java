package io.triad.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.model.ModelRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads each configured model's production session and runs one inference through the HTTP API at
 * init, so the first real event pays for neither. As a CRaC resource (SnapStart) it primes before
 * the snapshot and, after a restore, forgets the cached alias so a promotion made since the
 * snapshot is served at once.
 */
public final class ModelPriming implements Resource {
  private static final Logger log = LoggerFactory.getLogger(ModelPriming.class);
  private static final Set<String> NUMERIC =
      Set.of("FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8");

  private final InferenceApi api;
  private final ModelRegistry registry;
  private final List<String> models;
  private final ObjectMapper json;

  public ModelPriming(
      InferenceApi api, ModelRegistry registry, List<String> models, ObjectMapper json) {
    this.api = api;
    this.registry = registry;
    this.models = List.copyOf(models);
    this.json = json;
  }

  /**
   * Primes every model; one that cannot be served yet is logged, and the API answers 503 for it.
   */
  public void prime() {
    for (String model : models) {
      try (ModelLease lease = registry.acquire(model, null)) {
        HttpAnswer answer = api.handle(sampleInference(model, lease.manifest().inputs()));
        log.info(
            "primed {} version {} (sample inference: {})", model, lease.version(), answer.status());
      } catch (RuntimeException e) {
        log.warn("could not prime {}: {}", model, e.getMessage());
      }
    }
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    models.forEach(registry::refresh);
    prime();
  }

  /**
   * A zero-filled Open Inference Protocol request (dynamic dimensions as 1), or a readiness call.
   */
  private HttpCall sampleInference(String model, List<TensorSpec> inputs) {
    if (inputs == null
        || inputs.isEmpty()
        || !inputs.stream().allMatch(i -> NUMERIC.contains(i.datatype()))) {
      return new HttpCall("GET", "/v2/models/" + model + "/ready", Map.of(), null);
    }
    ObjectNode body = json.createObjectNode();
    ArrayNode tensors = body.putArray("inputs");
    for (TensorSpec input : inputs) {
      List<Long> shape = input.shape().stream().map(d -> d < 0 ? 1L : d).toList();
      ObjectNode tensor =
          tensors.addObject().put("name", input.name()).put("datatype", input.datatype());
      shape.forEach(tensor.putArray("shape")::add);
      ArrayNode data = tensor.putArray("data");
      long size = shape.stream().reduce(1L, Math::multiplyExact);
      for (long i = 0; i < size; i++) {
        data.add(0);
      }
    }
    return new HttpCall(
        "POST",
        "/v2/models/" + model + "/infer",
        Map.of("Content-Type", HttpAnswer.JSON),
        body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
