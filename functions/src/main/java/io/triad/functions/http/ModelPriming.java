package io.triad.functions.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.functions.api.Failure;
import io.triad.functions.inference.Datatype;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.model.ModelRegistry;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads each catalog model's production session and runs one inference through the HTTP API, so the
 * first real request or upload pays for neither. Every runtime primes once its context is up (the
 * local runtime before it announces itself, Lambda at init and again around a SnapStart snapshot,
 * Azure once per worker, GCP once per instance).
 */
public final class ModelPriming {
  private static final Logger log = LoggerFactory.getLogger(ModelPriming.class);

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
   *
   * @return how many models answered their sample inference with 200
   */
  public int prime() {
    int primed = 0;
    for (String model : models) {
      long loading = io.triad.functions.metrics.StartPhases.begin();
      try (ModelLease lease = registry.acquire(model, null)) {
        io.triad.functions.metrics.StartPhases.end("priming.acquire", loading);
        long inferring = io.triad.functions.metrics.StartPhases.begin();
        HttpAnswer answer = api.handleUncounted(sampleInference(model, lease.manifest().inputs()));
        io.triad.functions.metrics.StartPhases.end("priming.inference", inferring);
        log.info(
            "primed {} version {} (sample inference: {})", model, lease.version(), answer.status());
        primed += answer.status() == 200 ? 1 : 0;
      } catch (RuntimeException e) {
        if (Failure.of(e) instanceof Failure.NotReady) {
          log.info("not priming {}: {}", model, e.getMessage());
        } else {
          log.warn("could not prime {}: {}", model, e.getMessage());
        }
      }
    }
    return primed;
  }

  /**
   * Forgets every cached alias, then primes: after a snapshot is restored (a promotion may have
   * happened since it was taken).
   */
  public void primeAfresh() {
    models.forEach(registry::refresh);
    prime();
  }

  /** Whether zeros are a valid sample of {@code datatype}: a number, not BOOL or BYTES. */
  private static boolean isNumeric(String datatype) {
    return Datatype.parse(datatype)
        .filter(d -> d != Datatype.BOOL && d != Datatype.BYTES)
        .isPresent();
  }

  /**
   * A zero-filled Open Inference Protocol request (dynamic dimensions as 1), or a readiness call.
   */
  private HttpCall sampleInference(String model, List<TensorSpec> inputs) {
    if (inputs == null
        || inputs.isEmpty()
        || !inputs.stream().allMatch(i -> isNumeric(i.datatype()))) {
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
