package io.triad.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.image.ImageDecoder;
import io.triad.functions.image.ImageTensor;
import io.triad.functions.image.Picture;
import io.triad.functions.model.ImageInput;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.Sha256;
import io.triad.functions.signing.ModelPackages;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.layout.BucketLayout;
import io.triad.models.TrainerMain;
import io.triad.onnx.OnnxModelBuilder;
import io.triad.onnx.OnnxModelBuilder.Attribute;
import io.triad.onnx.OnnxModelBuilder.ElementType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The issue-3 figures: pictures scored one upload at a time, for the trained MNIST CNN (28x28 PNG
 * digits) and for a 224x224 RGB CNN (a synthetic stand-in with random weights: Conv stride 2,
 * MaxPool, Conv, GlobalAveragePool, Gemm, Softmax) on 224x224 JPEGs. Per picture it times decode
 * (ImageIO), preprocess (resize, normalize, layout) and inference (one session.run of one picture),
 * then the whole upload path ({@code onObjectCreated}: read, all of that, write the prediction
 * JSON), against raw ONNX Runtime on pre-made tensors in the same run. Median of 5 rounds.
 *
 * <p>Arguments: {@code <work dir>}.
 */
public final class ImageBenchmark {
  private static final int MNIST_PICTURES = 1000;
  private static final int BIG_PICTURES = 200;
  private static final int ROUNDS = 5;

  private ImageBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]));
    Path bucket = work.resolve("image-bucket");
    PipelineBenchmark.deleteTree(bucket);
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    List<byte[]> digits = mnist(store);
    List<byte[]> photos = photos();
    publish(store, "photo224", photoModel(), photoManifest());
    System.out.printf(
        "%nImages, one picture per upload (median of %d rounds; %s, %d cores)%n%n",
        ROUNDS, System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| model, input | decode µs | preprocess µs | inference µs | upload pictures/s | raw ORT pictures/s |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    try (ConfigurableApplicationContext context = PipelineBenchmark.context(store)) {
      Function<ObjectCreated, Outcome> onObjectCreated =
          context.getBean(FunctionCatalog.class).lookup(Function.class, "onObjectCreated");
      measure("MNIST CNN, 28x28 PNG", "mnist", digits, store, onObjectCreated, ".png");
      measure("224x224 CNN, 224x224 JPEG", "photo224", photos, store, onObjectCreated, ".jpg");
    }
  }

  private static void measure(
      String title,
      String model,
      List<byte[]> pictures,
      FileSystemBlobStore store,
      Function<ObjectCreated, Outcome> onObjectCreated,
      String extension)
      throws Exception {
    String version =
        new String(
                store.read(BucketLayout.alias(model, BucketLayout.PRODUCTION)),
                StandardCharsets.UTF_8)
            .trim();
    ModelManifest manifest =
        TriadJson.mapper()
            .readValue(store.read(BucketLayout.manifest(model, version)), ModelManifest.class);
    ImageInput spec = manifest.preprocessing().image();
    ImageTensor tensor = new ImageTensor(spec);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = spec.shape(1).stream().mapToLong(Long::longValue).toArray();
    double[] decode = new double[ROUNDS];
    double[] preprocess = new double[ROUNDS];
    double[] inference = new double[ROUNDS];
    double[] upload = new double[ROUNDS];
    double[] raw = new double[ROUNDS];
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session =
          env.createSession(store.read(BucketLayout.modelFile(model, version)), options)) {
        List<float[]> premade = new ArrayList<>();
        for (byte[] picture : pictures) {
          float[] values = new float[spec.valuesPerImage()];
          tensor.write(
              ImageDecoder.decode(picture, spec.maxPixelsOrDefault(), spec.backgroundRgb()),
              values,
              0);
          premade.add(values);
        }
        String input = manifest.preprocessing().input();
        for (int round = -1; round < ROUNDS; round++) { // round -1 warms up
          long d = 0;
          long p = 0;
          long i = 0;
          for (byte[] picture : pictures) {
            long t0 = System.nanoTime();
            Picture decoded =
                ImageDecoder.decode(picture, spec.maxPixelsOrDefault(), spec.backgroundRgb());
            long t1 = System.nanoTime();
            float[] values = new float[spec.valuesPerImage()];
            tensor.write(decoded, values, 0);
            long t2 = System.nanoTime();
            run(env, session, input, values, shape);
            long t3 = System.nanoTime();
            d += t1 - t0;
            p += t2 - t1;
            i += t3 - t2;
          }
          long r0 = System.nanoTime();
          for (float[] values : premade) {
            run(env, session, input, values, shape);
          }
          long rawNanos = System.nanoTime() - r0;
          long u0 = System.nanoTime();
          for (int n = 0; n < pictures.size(); n++) {
            String key = "incoming/" + model + "/r" + round + "/" + n + extension;
            store.put(key, pictures.get(n));
            Outcome outcome =
                onObjectCreated.apply(new ObjectCreated(key, pictures.get(n).length, null));
            if (!(outcome instanceof Outcome.Written)) {
              throw new IllegalStateException("upload not scored: " + outcome);
            }
          }
          long uploadNanos = System.nanoTime() - u0;
          if (round >= 0) {
            decode[round] = d / 1e3 / pictures.size();
            preprocess[round] = p / 1e3 / pictures.size();
            inference[round] = i / 1e3 / pictures.size();
            upload[round] = pictures.size() / (uploadNanos / 1e9);
            raw[round] = pictures.size() / (rawNanos / 1e9);
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.1f | %,.0f | %,.0f |%n",
        title,
        median(decode),
        median(preprocess),
        median(inference),
        median(upload),
        median(raw));
  }

  private static void run(
      OrtEnvironment env, OrtSession session, String input, float[] values, long[] shape)
      throws Exception {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
        OrtSession.Result result = session.run(Map.of(input, t))) {
      if (result.size() == 0) {
        throw new IllegalStateException("no output");
      }
    }
  }

  /**
   * Trains MNIST with the local runtime's settings and serves it; returns the first digits as PNG.
   */
  static List<byte[]> mnist(FileSystemBlobStore store) throws Exception {
    byte[] csv;
    try (InputStream in =
        ImageBenchmark.class.getClassLoader().getResourceAsStream("triad/datasets/mnist.csv")) {
      csv = in.readAllBytes();
    }
    store.put("data/mnist/mnist.csv", csv);
    int code =
        new TrainerMain(System.err, Clock.systemUTC(), false)
            .run(
                "--store",
                store.uri().toString(),
                "--model",
                "mnist",
                "--version",
                "1",
                "--data",
                "data/mnist/mnist.csv",
                "--output",
                "candidates/mnist/1/",
                "--epochs",
                "3",
                "--batch-size",
                "32",
                "--learning-rate",
                "0.001",
                "--hidden",
                "64",
                "--seed",
                "42");
    if (code != 0) {
      throw new IllegalStateException("training failed");
    }
    byte[] manifest = store.read("candidates/mnist/1/manifest.json");
    ModelPackages.write(
        store,
        BenchKeys.signer(),
        TriadJson.mapper(),
        "mnist",
        "1",
        Sha256.of(store.read("candidates/mnist/1/model.onnx")),
        manifest,
        to -> store.copy("candidates/mnist/1/model.onnx", to));
    ModelPackages.promote(store, "mnist", "1");
    List<byte[]> digits = new ArrayList<>();
    String[] lines = new String(csv, StandardCharsets.UTF_8).split("\n");
    for (int i = 1; i <= MNIST_PICTURES; i++) {
      digits.add(Base64.getDecoder().decode(lines[i].substring(0, lines[i].indexOf(','))));
    }
    return digits;
  }

  private static List<byte[]> photos() throws Exception {
    Random random = new Random(7);
    List<byte[]> photos = new ArrayList<>();
    for (int n = 0; n < BIG_PICTURES; n++) {
      BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
      int tint = random.nextInt(0xffffff);
      for (int y = 0; y < 224; y++) {
        for (int x = 0; x < 224; x++) {
          image.setRGB(x, y, (tint + x * 0x010203 + y * 0x030201 + random.nextInt(32)) & 0xffffff);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "jpg", out);
      photos.add(out.toByteArray());
    }
    return photos;
  }

  private static byte[] photoModel() {
    Random random = new Random(11);
    return new OnnxModelBuilder("photo224")
        .input("image", ElementType.FLOAT, -1, 3, 224, 224)
        .output("probabilities", ElementType.FLOAT, -1, 10)
        .initializer("w1", weights(random, 16 * 3 * 3 * 3), 16, 3, 3, 3)
        .initializer("b1", new float[16], 16)
        .initializer("w2", weights(random, 32 * 16 * 3 * 3), 32, 16, 3, 3)
        .initializer("b2", new float[32], 32)
        .initializer("w3", weights(random, 10 * 32), 10, 32)
        .initializer("b3", new float[10], 10)
        .node(
            "Conv",
            List.of("image", "w1", "b1"),
            List.of("c1"),
            Attribute.of("kernel_shape", new long[] {3, 3}),
            Attribute.of("strides", new long[] {2, 2}))
        .node("Relu", List.of("c1"), List.of("r1"))
        .node(
            "MaxPool",
            List.of("r1"),
            List.of("p1"),
            Attribute.of("kernel_shape", new long[] {2, 2}),
            Attribute.of("strides", new long[] {2, 2}))
        .node(
            "Conv",
            List.of("p1", "w2", "b2"),
            List.of("c2"),
            Attribute.of("kernel_shape", new long[] {3, 3}))
        .node("Relu", List.of("c2"), List.of("r2"))
        .node("GlobalAveragePool", List.of("r2"), List.of("g"))
        .node("Flatten", List.of("g"), List.of("f"), Attribute.of("axis", 1L))
        .node("Gemm", List.of("f", "w3", "b3"), List.of("logits"), Attribute.of("transB", 1L))
        .node("Softmax", List.of("logits"), List.of("probabilities"), Attribute.of("axis", 1L))
        .toBytes();
  }

  private static float[] weights(Random random, int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (random.nextGaussian() * 0.1);
    }
    return w;
  }

  private static ModelManifest photoManifest() {
    List<String> labels = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    return new ModelManifest(
        "photo224",
        "1",
        null,
        null,
        List.of(new ModelManifest.TensorSpec("image", "FP32", List.of(-1L, 3L, 224L, 224L))),
        List.of(new ModelManifest.TensorSpec("probabilities", "FP32", List.of(-1L, 10L))),
        new ModelManifest.Preprocessing(
            "image",
            "image",
            null,
            false,
            "label",
            new ImageInput(
                224,
                224,
                ImageInput.NCHW,
                ImageInput.RGB,
                ImageInput.CENTER_CROP,
                256,
                1.0 / 255,
                List.of(0.485, 0.456, 0.406),
                List.of(0.229, 0.224, 0.225),
                null,
                null)),
        new ModelManifest.Postprocessing("probabilities", labels, false, 3),
        null,
        null);
  }

  private static void publish(
      FileSystemBlobStore store, String name, byte[] onnx, ModelManifest manifest)
      throws Exception {
    ModelManifest withSha =
        new ModelManifest(
            manifest.name(),
            manifest.version(),
            manifest.created(),
            Sha256.of(onnx),
            manifest.inputs(),
            manifest.outputs(),
            manifest.preprocessing(),
            manifest.postprocessing(),
            null,
            null);
    ModelPackages.write(
        store,
        BenchKeys.signer(),
        TriadJson.mapper(),
        name,
        "1",
        withSha.sha256(),
        TriadJson.mapper().writeValueAsBytes(withSha),
        to -> store.put(to, onnx));
    ModelPackages.promote(store, name, "1");
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
