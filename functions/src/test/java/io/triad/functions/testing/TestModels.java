package io.triad.functions.testing;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ModelLoader;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.ModelManifest.Feature;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelManifest.Preprocessing;
import io.triad.functions.model.ModelManifest.TensorSpec;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.model.RegistrySettings;
import io.triad.functions.model.Sha256;
import io.triad.functions.signing.ModelPackages;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.signing.PromotionKeys;
import io.triad.functions.signing.TrustedKeys;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import io.triad.onnx.OnnxModelBuilder;
import io.triad.onnx.OnnxModelBuilder.ElementType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Model packages for tests, built in memory with {@link OnnxModelBuilder} and written into a {@link
 * BlobStore} in the bucket layout the registry reads. Nothing is downloaded.
 */
public final class TestModels {
  public static final String IRIS = "iris";
  public static final List<String> FEATURES =
      List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
  public static final List<String> LABELS = List.of("setosa", "versicolor", "virginica");
  public static final String TARGET = "species";
  public static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Identity models for the tensor codec: model name {@code identity-{datatype}}, input "x", output
   * "y".
   */
  public static final Map<String, ElementType> IDENTITY_TYPES =
      Map.of(
          "FP32", ElementType.FLOAT,
          "FP64", ElementType.DOUBLE,
          "INT8", ElementType.INT8,
          "INT16", ElementType.INT16,
          "INT32", ElementType.INT32,
          "INT64", ElementType.INT64,
          "UINT8", ElementType.UINT8,
          "BOOL", ElementType.BOOL,
          "BYTES", ElementType.STRING);

  /** Inputs "a" and "b" FP32 [-1,2]; outputs "sum" (a+b) and "product" (a*b). */
  public static final String TWO_IN_TWO_OUT = "arith";

  /** Input "x" FP32 [2,3]; output "y" = x. */
  public static final String FIXED_SHAPE = "fixed";

  /**
   * The tests' signing key (made with {@code openssl genpkey -algorithm ed25519}): every package
   * these helpers publish is signed with it, so a runtime under test trusts {@link #TRUSTED_KEY}.
   */
  public static final String SIGNING_KEY =
      """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEIErHn6LIk6dbGupgTGm6gmDs0/vuBh6WtIDmzpPlQyvQ
      -----END PRIVATE KEY-----
      """;

  /** {@link #SIGNING_KEY}'s public key, as {@code openssl pkey -pubout -outform DER} writes it. */
  public static final String TRUSTED_KEY =
      "MCowBQYDK2VwAyEAJpav6G7hfMBBnJhfvM/Kqwwx54e+Zz1px5k/wsUzJNA=";

  /** A second key nobody trusts, for drills: what it signs must never be served. */
  public static final String UNTRUSTED_SIGNING_KEY =
      """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEIGIQhlExlFFVTOx2K8jEZy5F6ZwAsiRb4OQmLv38SfyD
      -----END PRIVATE KEY-----
      """;

  /** The setting that makes a runtime trust {@link #TRUSTED_KEY}. */
  public static final String TRUST_SETTING = "triad.signing.trusted-keys=" + TRUSTED_KEY;

  private final BlobStore store;
  private final PackageSigner signer;

  public TestModels(BlobStore store) {
    this(store, signer());
  }

  /** Publishing with another key (an untrusted one, for drills). */
  public TestModels(BlobStore store, PackageSigner signer) {
    this.store = store;
    this.signer = signer;
  }

  public static PackageSigner signer() {
    return PackageSigner.fromText(SIGNING_KEY);
  }

  public static TrustedKeys trustedKeys() {
    return TrustedKeys.of(List.of(TRUSTED_KEY));
  }

  /** The promoting function's keys in tests: signs with {@link #SIGNING_KEY}, trusts it. */
  public static PromotionKeys promotionKeys() {
    return PromotionKeys.of(signer(), trustedKeys());
  }

  /** A registry over {@code store} with real ONNX Runtime sessions, one intra-op thread. */
  public static ModelRegistry registry(BlobStore store, RegistrySettings settings) {
    ModelLoader loader =
        new ModelLoader(
            store, TriadJson.mapper(), OrtEnvironment.getEnvironment(), 1, trustedKeys());
    return new ModelRegistry(store, loader, settings);
  }

  // ---- iris ---------------------------------------------------------------------------------

  /**
   * A hand-weighted classifier that separates the three iris species by petal size: hidden units
   * relu(2.5 - pl), relu(pl - 2.5), relu(pl + 2 pw - 8.2), then a linear layer and softmax.
   */
  public static byte[] irisOnnx() {
    return irisGraph(
        new float[] {0, 0, -1, 0, 0, 0, 1, 0, 0, 0, 1, 2},
        new float[] {2.5f, -2.5f, -8.2f},
        new float[] {4, 0, 0, 0, 2, -4, 0, 2, 4},
        new float[] {0, 0, -0.5f});
  }

  /** Same graph, but it answers "setosa" for every flower: accuracy 1/3 on balanced data. */
  public static byte[] weakIrisOnnx() {
    return irisGraph(new float[12], new float[3], new float[9], new float[] {1, 0, 0});
  }

  /**
   * The iris graph behind a Reshape to rows of 7 and back: it loads, passes every check and fails
   * at run time unless the rows' values come in sevens (one flower never does). A release that
   * breaks on live traffic, for rollback tests.
   */
  public static byte[] brokenIrisOnnx() {
    return new OnnxModelBuilder("iris")
        .input("features", ElementType.FLOAT, -1, 4)
        .output("probabilities", ElementType.FLOAT, -1, 3)
        .initializer("sevens", new long[] {-1, 7}, 2)
        .initializer("fours", new long[] {-1, 4}, 2)
        .node("Reshape", List.of("features", "sevens"), List.of("wide"))
        .node("Reshape", List.of("wide", "fours"), List.of("narrow"))
        .node(
            "Softmax",
            List.of("narrow"),
            List.of("soft4"),
            OnnxModelBuilder.Attribute.of("axis", -1L))
        .initializer("pick", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}, 4, 3)
        .node("MatMul", List.of("soft4", "pick"), List.of("probabilities"))
        .toBytes();
  }

  private static byte[] irisGraph(float[] w1, float[] b1, float[] w2, float[] b2) {
    return new OnnxModelBuilder("iris")
        .input("features", ElementType.FLOAT, -1, 4)
        .output("probabilities", ElementType.FLOAT, -1, 3)
        .initializer("w1", w1, 3, 4)
        .initializer("b1", b1, 3)
        .initializer("w2", w2, 3, 3)
        .initializer("b2", b2, 3)
        .node(
            "Gemm",
            List.of("features", "w1", "b1"),
            List.of("h"),
            OnnxModelBuilder.Attribute.of("transB", 1L))
        .node("Relu", List.of("h"), List.of("hr"))
        .node(
            "Gemm",
            List.of("hr", "w2", "b2"),
            List.of("logits"),
            OnnxModelBuilder.Attribute.of("transB", 1L))
        .node(
            "Softmax",
            List.of("logits"),
            List.of("probabilities"),
            OnnxModelBuilder.Attribute.of("axis", -1L))
        .toBytes();
  }

  public static ModelManifest irisManifest(String version, byte[] model) {
    return irisManifest(IRIS, version, model);
  }

  /** Iris's manifest under another model name. */
  public static ModelManifest irisManifest(String name, String version, byte[] model) {
    List<Feature> features =
        FEATURES.stream().map(f -> new Feature(f, Feature.NUMERIC, null, null, null)).toList();
    return new ModelManifest(
        name,
        version,
        CREATED,
        Sha256.of(model),
        List.of(new TensorSpec("features", "FP32", List.of(-1L, 4L))),
        List.of(new TensorSpec("probabilities", "FP32", List.of(-1L, 3L))),
        new Preprocessing("tabular", "features", features, true, TARGET),
        new Postprocessing("probabilities", LABELS, false, null),
        Map.of(),
        null,
        irisProfile());
  }

  /**
   * The training-data profile a trainer would write for the hand-made iris: the rows of {@code
   * labelledCsv(40, 1)}, every value kept.
   */
  public static io.triad.functions.model.DataProfile irisProfile() {
    return profile(labelledCsv(40, 1));
  }

  /** A {@code :predict} body of one flower (a virginica). */
  public static byte[] oneFlower() {
    return ("{\"instances\":[{\"sepal_length\":5.9,\"sepal_width\":3.0,\"petal_length\":5.1,"
            + "\"petal_width\":1.8}]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A {@code :predict} body of the {@code i}th of {@code n} flowers along the line from a setosa to
   * a virginica, through the border where versions trained differently disagree.
   */
  public static byte[] flowerOnTheLine(int i, int n) {
    double t = i / (double) n;
    return String.format(
            java.util.Locale.ROOT,
            "{\"instances\":[{\"sepal_length\":%.3f,\"sepal_width\":3.0,\"petal_length\":%.3f,"
                + "\"petal_width\":%.3f}]}",
            5.0 + 2 * t,
            1.4 + 4 * t,
            0.2 + 2 * t)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The rows of an iris CSV of {@link #labelledCsv}'s shape as the payload log writes them when
   * {@code version} of {@code model} answered them (JSON Lines; the four features logged, the label
   * left out), as the HTTP function would have logged a day of traffic.
   */
  public static String payloadLines(String csv, String model, String version) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (String line : csv.lines().skip(1).toList()) {
      String[] cells = line.split(",");
      out.append("{\"time\":\"2026-12-05T00:00:00Z\",\"request_id\":\"r")
          .append(i++)
          .append("\",\"model\":\"")
          .append(model)
          .append("\",\"version\":\"")
          .append(version)
          .append("\",\"source\":\"http\",\"instance\":0,\"input\":{");
      for (int f = 0; f < FEATURES.size(); f++) {
        out.append(f == 0 ? "" : ",")
            .append('"')
            .append(FEATURES.get(f))
            .append("\":")
            .append(cells[f]);
      }
      out.append("},\"output\":{\"label\":\"setosa\"}}\n");
    }
    return out.toString();
  }

  /** The profile of an iris CSV of {@link #labelledCsv}'s shape, as the trainer computes it. */
  public static io.triad.functions.model.DataProfile profile(String csv) {
    List<String> lines = csv.lines().skip(1).toList();
    Map<String, io.triad.functions.model.DataProfile.NumericProfile> numeric =
        new java.util.LinkedHashMap<>();
    for (int f = 0; f < FEATURES.size(); f++) {
      int column = f;
      double[] values =
          lines.stream()
              .mapToDouble(l -> Double.parseDouble(l.split(",")[column]))
              .sorted()
              .toArray();
      double mean = java.util.Arrays.stream(values).average().orElse(0);
      double std =
          Math.sqrt(
              java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum()
                  / values.length);
      numeric.put(
          FEATURES.get(f),
          new io.triad.functions.model.DataProfile.NumericProfile(
              values.length,
              mean,
              std,
              values[0],
              values[values.length - 1],
              java.util.Arrays.stream(values).boxed().toList()));
    }
    Map<String, Long> classes = new java.util.LinkedHashMap<>();
    for (String line : lines) {
      classes.merge(line.substring(line.lastIndexOf(',') + 1), 1L, Long::sum);
    }
    return new io.triad.functions.model.DataProfile(lines.size(), numeric, Map.of(), classes);
  }

  /** Writes {@code models/iris/{version}/} and points the production alias at it. */
  public void publishIris(String version) {
    putIris(version, irisOnnx());
    promote(IRIS, version);
  }

  /**
   * Writes {@code models/iris/{version}/} with {@code model} (a correct manifest for it), no alias.
   */
  public void putIris(String version, byte[] model) {
    put(model, irisManifest(version, model));
  }

  /**
   * Writes {@code models/iris/{version}/} with {@code model}, trained (its lineage says) from
   * {@code parent}, no alias.
   */
  public void putIrisChild(String version, byte[] model, String parent) {
    put(
        model,
        irisManifest(version, model)
            .withLineage(
                new ModelManifest.Lineage("data/iris/train.csv", "test", parent, Map.of())));
  }

  /** Writes an iris package under another model name, signed, no alias. */
  public void putIrisAs(String name, String version, byte[] model) {
    put(model, irisManifest(name, version, model));
  }

  /** Points {@code models/{name}/aliases/production} at {@code version}. */
  public void promote(String name, String version) {
    ModelPackages.promote(store, name, version);
  }

  /**
   * Writes a candidate under {@code candidates/iris/{version}/}: model, {@code holdout.csv}, and
   * the manifest last (as a trainer does, since the manifest is the trigger). Returns the manifest
   * key.
   */
  public String candidateIris(String version, byte[] model) {
    return candidateIris(version, model, irisManifest(version, model));
  }

  /**
   * As {@link #candidateIris(String, byte[])} with a manifest of the caller's (e.g. a wrong
   * sha256).
   */
  public String candidateIris(String version, byte[] model, ModelManifest manifest) {
    String dir = BucketLayout.candidateDir(IRIS, version);
    store.put(dir + BucketLayout.MODEL_FILE, model);
    store.put(dir + "holdout.csv", labelledCsv(10, 7).getBytes(StandardCharsets.UTF_8));
    store.put(dir + BucketLayout.MANIFEST_FILE, json(manifest));
    return dir + BucketLayout.MANIFEST_FILE;
  }

  // ---- generic models for the tensor codec ---------------------------------------------------

  public static byte[] identityOnnx(ElementType type) {
    return new OnnxModelBuilder("identity")
        .input("x", type, -1, -1)
        .output("y", type, -1, -1)
        .node("Identity", List.of("x"), List.of("y"))
        .toBytes();
  }

  public static byte[] twoInTwoOutOnnx() {
    return new OnnxModelBuilder("arith")
        .input("a", ElementType.FLOAT, -1, 2)
        .input("b", ElementType.FLOAT, -1, 2)
        .output("sum", ElementType.FLOAT, -1, 2)
        .output("product", ElementType.FLOAT, -1, 2)
        .node("Add", List.of("a", "b"), List.of("sum"))
        .node("Mul", List.of("a", "b"), List.of("product"))
        .toBytes();
  }

  public static byte[] fixedShapeOnnx() {
    return new OnnxModelBuilder("fixed")
        .input("x", ElementType.FLOAT, 2, 3)
        .output("y", ElementType.FLOAT, 2, 3)
        .node("Identity", List.of("x"), List.of("y"))
        .toBytes();
  }

  /** Publishes every codec model as version 1 with a production alias. */
  public void publishCodecModels() {
    IDENTITY_TYPES.forEach(
        (datatype, type) -> publish(identityName(datatype), "1", identityOnnx(type)));
    publish(TWO_IN_TWO_OUT, "1", twoInTwoOutOnnx());
    publish(FIXED_SHAPE, "1", fixedShapeOnnx());
  }

  public static String identityName(String datatype) {
    return "identity-" + datatype.toLowerCase(Locale.ROOT);
  }

  /**
   * Publishes any model with a minimal manifest (no pre- or postprocessing) and moves the alias.
   */
  public void publish(String name, String version, byte[] model) {
    put(
        model,
        new ModelManifest(
            name, version, CREATED, Sha256.of(model), null, null, null, null, null, null));
    promote(name, version);
  }

  /** Writes the signed package of {@code manifest}'s name and version, no alias. */
  private void put(byte[] model, ModelManifest manifest) {
    ModelPackages.write(
        store,
        signer,
        TriadJson.mapper(),
        manifest.name(),
        manifest.version(),
        Sha256.of(model),
        json(manifest),
        to -> store.put(to, model));
  }

  /**
   * Signs the package already under {@code models/{name}/{version}/} as it is (for packages written
   * by hand: foreign models, fixtures read from resources).
   */
  public void sign(String name, String version) {
    byte[] model = store.read(BucketLayout.modelFile(name, version));
    byte[] manifestBytes = store.read(BucketLayout.manifest(name, version));
    store.put(
        BucketLayout.signature(name, version),
        signer.signatureFile(TriadJson.mapper(), name, version, Sha256.of(model), manifestBytes));
  }

  private static byte[] json(ModelManifest manifest) {
    try {
      return TriadJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- data ------------------------------------------------------------------------------------

  private static final double[][] MEANS = {
    {5.0, 3.4, 1.5, 0.25}, {5.9, 2.8, 4.2, 1.3}, {6.6, 3.0, 5.6, 2.0}
  };
  private static final double[] SPREAD = {0.3, 0.25, 0.25, 0.1};

  /**
   * Deterministic iris-like measurements of {@code species} (0..2), all classified right by {@link
   * #irisOnnx}.
   */
  private static double[] flower(int species, Random random) {
    double[] f = new double[4];
    for (int i = 0; i < 4; i++) {
      f[i] =
          Math.round((MEANS[species][i] + (random.nextDouble() * 2 - 1) * SPREAD[i]) * 10) / 10.0;
    }
    return f;
  }

  /**
   * A labelled CSV: header with the four features and {@code species}, {@code perClass} rows per
   * species.
   */
  public static String labelledCsv(int perClass, long seed) {
    Random random = new Random(seed);
    StringBuilder csv =
        new StringBuilder(String.join(",", FEATURES)).append(',').append(TARGET).append('\n');
    for (int i = 0; i < perClass; i++) {
      for (int species = 0; species < 3; species++) {
        csv.append(row(flower(species, random)))
            .append(',')
            .append(LABELS.get(species))
            .append('\n');
      }
    }
    return csv.toString();
  }

  /**
   * The fingerprint of each data row of an iris CSV ({@link #labelledCsv}'s shape), in order, as
   * the trainer and the gate compute them.
   */
  public static long[] fingerprints(String csv) {
    List<String> lines = csv.lines().toList();
    long[] fingerprints = new long[lines.size() - 1];
    for (int i = 0; i < fingerprints.length; i++) {
      String[] cells = lines.get(i + 1).split(",");
      fingerprints[i] =
          io.triad.functions.model.TrainingRows.ofFeatures(
              FEATURES, name -> cells[FEATURES.indexOf(name)]);
    }
    return fingerprints;
  }

  /** An incoming CSV with an {@code id} column (1..n) and the features; row i is species i % 3. */
  public static String incomingCsv(int n, long seed) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("id,").append(String.join(",", FEATURES)).append('\n');
    for (int i = 0; i < n; i++) {
      csv.append(i + 1).append(',').append(row(flower(i % 3, random))).append('\n');
    }
    return csv.toString();
  }

  private static String row(double[] f) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < f.length; i++) {
      s.append(i == 0 ? "" : ",").append(f[i]);
    }
    return s.toString();
  }
}
