package io.triad.functions.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} beside every {@code model.onnx}: what the model is, how to feed it and how
 * to read its answer. A model file whose sha256 differs from {@link #sha256} is never served.
 * {@link #profile} sketches the rows it trained on (absent for hand-made packages).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
    String name,
    String version,
    Instant created,
    String sha256,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    Preprocessing preprocessing,
    Postprocessing postprocessing,
    Map<String, Double> metrics,
    Lineage lineage,
    DataProfile profile) {

  public ModelManifest {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  /** A manifest without a training-data profile (hand-made packages, older trainers). */
  public ModelManifest(
      String name,
      String version,
      Instant created,
      String sha256,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      Preprocessing preprocessing,
      Postprocessing postprocessing,
      Map<String, Double> metrics,
      Lineage lineage) {
    this(
        name,
        version,
        created,
        sha256,
        inputs,
        outputs,
        preprocessing,
        postprocessing,
        metrics,
        lineage,
        null);
  }

  /**
   * One named tensor: OIP datatype (FP32, INT64, ...) and shape with -1 for a dynamic dimension.
   */
  public record TensorSpec(String name, String datatype, List<Long> shape) {}

  /**
   * How raw records become the model's input tensor.
   *
   * @param kind "tabular", "image" or "none"
   * @param input the model input the features (or pixels) feed
   * @param features the columns, in tensor order (tabular)
   * @param scaledInModel true when numeric scaling is part of the ONNX graph, so the preprocessor
   *     passes raw values; false when the preprocessor applies {@code (x - mean) / std}
   * @param target the label column in labelled data
   * @param image how a picture becomes a tensor (kind "image")
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Preprocessing(
      String kind,
      String input,
      List<Feature> features,
      boolean scaledInModel,
      String target,
      ImageInput image) {
    public static final String TABULAR = "tabular";
    public static final String IMAGE = "image";

    public Preprocessing {
      features = features == null ? List.of() : List.copyOf(features);
    }

    public Preprocessing(
        String kind, String input, List<Feature> features, boolean scaledInModel, String target) {
      this(kind, input, features, scaledInModel, target, null);
    }

    @JsonIgnore
    public boolean isImage() {
      return IMAGE.equals(kind);
    }
  }

  /** One input column: numeric (optionally scaled) or categorical (one-hot over a vocabulary). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Feature(
      String name, String type, Double mean, Double std, List<String> vocabulary) {
    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";

    public static Feature numeric(String name, double mean, double std) {
      return new Feature(name, NUMERIC, mean, std, null);
    }

    public static Feature categorical(String name, List<String> vocabulary) {
      return new Feature(name, CATEGORICAL, null, null, List.copyOf(vocabulary));
    }

    @JsonIgnore // derived from type; as a property it would not read back into the record
    public boolean isCategorical() {
      return CATEGORICAL.equals(type);
    }

    /** Width in the input tensor: 1 for numeric, the vocabulary size for categorical. */
    public int width() {
      return isCategorical() ? vocabulary.size() : 1;
    }
  }

  /**
   * How to read the answer: which output holds scores, the class labels in index order, whether the
   * scores still need a softmax, and how many top classes to report.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Postprocessing(String output, List<String> labels, boolean softmax, Integer topK) {
    public Postprocessing {
      labels = labels == null ? List.of() : List.copyOf(labels);
    }
  }

  /** Where the model came from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Lineage(
      String data, String trainer, String parentVersion, Map<String, Object> parameters) {}

  /** The same manifest, trained as {@code newLineage} says. */
  public ModelManifest withLineage(Lineage newLineage) {
    return new ModelManifest(
        name,
        version,
        created,
        sha256,
        inputs,
        outputs,
        preprocessing,
        postprocessing,
        metrics,
        newLineage,
        profile);
  }

  /** The same manifest, with {@code newProfile} as its training data's profile. */
  public ModelManifest withProfile(DataProfile newProfile) {
    return new ModelManifest(
        name,
        version,
        created,
        sha256,
        inputs,
        outputs,
        preprocessing,
        postprocessing,
        metrics,
        lineage,
        newProfile);
  }

  public ModelManifest withMetrics(Map<String, Double> newMetrics) {
    return new ModelManifest(
        name,
        version,
        created,
        sha256,
        inputs,
        outputs,
        preprocessing,
        postprocessing,
        newMetrics,
        lineage,
        profile);
  }
}
