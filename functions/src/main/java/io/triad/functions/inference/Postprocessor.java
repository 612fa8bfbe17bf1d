package io.triad.functions.inference;

import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.Predictions;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelRegistry;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The {@code postprocess} function: tensors back to one prediction per instance. With a manifest
 * that names labels it gives the label, every class probability and the top k; without one, each
 * output's row as is.
 */
public final class Postprocessor implements Function<InferenceResponse, Predictions> {
  private final ModelRegistry registry;

  public Postprocessor(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Predictions apply(InferenceResponse response) {
    Postprocessing post;
    try (ModelLease lease = registry.acquire(response.modelName(), response.modelVersion())) {
      post = lease.manifest().postprocessing();
    }
    return new Predictions(response.modelName(), response.modelVersion(), rows(response, post));
  }

  /** One prediction per row of {@code response}, read as {@code post} says. */
  public static List<Map<String, Object>> rows(InferenceResponse response, Postprocessing post) {
    return post == null || post.output() == null || post.labels().isEmpty()
        ? rawRows(response.outputs())
        : classify(response.output(post.output()), post);
  }

  /** Per-row probabilities and labels from a [rows, classes] score tensor. */
  public static List<Map<String, Object>> classify(NamedTensor scores, Postprocessing post) {
    float[] flat = floats(scores.data());
    int classes = post.labels().size();
    int rows = flat.length / classes;
    List<Map<String, Object>> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      float[] p = Arrays.copyOfRange(flat, r * classes, (r + 1) * classes);
      if (post.softmax()) {
        softmaxInPlace(p);
      }
      out.add(prediction(p, post));
    }
    return out;
  }

  private static Map<String, Object> prediction(float[] p, Postprocessing post) {
    int best = argmax(p);
    Map<String, Object> probabilities = new LinkedHashMap<>();
    for (int c = 0; c < p.length; c++) {
      probabilities.put(post.labels().get(c), p[c]);
    }
    Map<String, Object> prediction = new LinkedHashMap<>();
    prediction.put("label", post.labels().get(best));
    prediction.put("probability", p[best]);
    prediction.put("probabilities", probabilities);
    if (post.topK() != null && post.topK() > 0) {
      prediction.put(
          "top_k",
          Arrays.stream(topK(p, post.topK()))
              .mapToObj(
                  c -> {
                    Map<String, Object> top = new LinkedHashMap<>();
                    top.put("label", post.labels().get(c));
                    top.put("probability", p[c]);
                    return top;
                  })
              .toList());
    }
    return prediction;
  }

  /** The index of the highest score; the first on ties. */
  public static int argmax(float[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }

  /** The indices of the {@code k} highest scores, highest first. */
  static int[] topK(float[] p, int k) {
    return IntStream.range(0, p.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> -p[c]))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static List<Map<String, Object>> rawRows(List<NamedTensor> outputs) {
    int rows =
        outputs.stream()
            .mapToInt(o -> o.shape().isEmpty() ? 1 : o.shape().get(0).intValue())
            .max()
            .orElse(0);
    List<Map<String, Object>> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (NamedTensor output : outputs) {
        row.put(output.name(), rowOf(output, r));
      }
      out.add(row);
    }
    return out;
  }

  private static Object rowOf(NamedTensor output, int r) {
    int length = Array.getLength(output.data());
    int rows = output.shape().isEmpty() ? 1 : output.shape().get(0).intValue();
    int width = rows == 0 ? 0 : length / rows;
    if (width == 1) {
      return Array.get(output.data(), r);
    }
    Object row = Array.newInstance(output.data().getClass().getComponentType(), width);
    System.arraycopy(output.data(), r * width, row, 0, width);
    return row;
  }

  /** Class scores as floats; FP64 scores are narrowed. */
  public static float[] floats(Object data) {
    if (data instanceof float[] f) {
      return f;
    }
    if (data instanceof double[] d) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    throw TriadError.unprocessable(
        "the model's scores must be FP32 or FP64, got " + data.getClass().getSimpleName());
  }

  /** Turns scores into probabilities in place, stable for large scores. */
  public static void softmaxInPlace(float[] z) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) Math.exp(z[i] - max);
      sum += z[i];
    }
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (z[i] / sum);
    }
  }
}
