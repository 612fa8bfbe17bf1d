package io.triad.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.triad.functions.TriadFunctions;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.training.TrainingLauncher;
import io.triad.layout.BucketLayout;
import io.triad.models.TrainerMain;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The issue-2 figures, measured in one process against baselines taken in the same run: predict
 * latency through the FunctionCatalog vs raw {@code session.run}, upload throughput vs raw ONNX
 * Runtime batches and vs a hand-written plain-Java CSV scorer, and the local runtime's start to
 * first answered request. It prints figures; it asserts nothing (the machines are shared and
 * noisy).
 *
 * <p>Arguments: {@code <work dir> <path to triad-local.jar>}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PipelineBenchmark {
  static final int ROWS = 100_000;
  private static final int BATCH = 1024;
  private static final int ROUNDS = 9;
  private static final float[] SETOSA = {5.1f, 3.5f, 1.4f, 0.2f};

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]));
    Path bucket = work.resolve("bucket");
    deleteTree(bucket);
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    String version = trainAndPromote(store);
    try (ConfigurableApplicationContext context = context(store)) {
      FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
      promote(catalog, version);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession raw = session(env, store, "iris", version)) {
        int measured = 100_000;
        Latencies latency =
            latency(
                catalog.lookup("predict"),
                irisCall(),
                () -> rawRun(env, raw, "features", SETOSA, IRIS_ROW),
                20_000,
                measured);
        System.out.printf(
            "%n| predict, one iris row (%d calls each, interleaved) | p50 µs | p99 µs |%n|---|---:|---:|%n",
            measured);
        System.out.printf(
            "| raw ONNX Runtime: tensor + session.run + read | %.1f | %.1f |%n",
            latency.raw().p50Us(), latency.raw().p99Us());
        System.out.printf(
            "| Triad `predict` through FunctionCatalog | %.1f | %.1f |%n",
            latency.triad().p50Us(), latency.triad().p99Us());
        System.out.printf(
            "| added by Triad | %.1f | %.1f |%n",
            latency.addedP50Us(), latency.triad().p99Us() - latency.raw().p99Us());
        Throughput t = throughput(catalog, env, raw, store, work);
        System.out.printf(
            "%n| scoring a %,d-row CSV (median of %d rounds) | rows/s | Triad as a share |%n|---|---:|---:|%n",
            ROWS, ROUNDS);
        System.out.printf(
            "| raw ONNX Runtime, session.run on prepared %d-row batches only | %,.0f | %.1f%% |%n",
            BATCH, t.rawRowsPerSecond(), 100 * t.shareOfRaw());
        System.out.printf(
            "| plain Java: read CSV, parse, %d-row batches, run, write JSON lines | %,.0f | %.1f%% |%n",
            BATCH, t.plainRowsPerSecond(), 100 * t.triadRowsPerSecond() / t.plainRowsPerSecond());
        System.out.printf(
            "| Triad upload (`onObjectCreated`: stream, validate, score, stage, publish) | %,.0f | 100%% |%n",
            t.triadRowsPerSecond());
      }
    }
    if (args.length > 1) {
      startToFirstAnswer(Path.of(args[1]), work, store);
    }
  }

  /** p50 and p99 of one measured path, in microseconds. */
  public record Percentiles(double p50Us, double p99Us) {
    public static Percentiles of(long[] nanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return new Percentiles(micros(sorted, 0.50), micros(sorted, 0.99));
    }
  }

  /** The same call through Triad and on the raw session, measured interleaved in one run. */
  record Latencies(Percentiles raw, Percentiles triad) {
    double addedP50Us() {
      return triad.p50Us() - raw.p50Us();
    }
  }

  /**
   * Rows a second for one CSV: Triad's upload path, raw ONNX Runtime batches, a hand-written
   * scorer.
   */
  record Throughput(double triadRowsPerSecond, double rawRowsPerSecond, double plainRowsPerSecond) {
    double shareOfRaw() {
      return triadRowsPerSecond / rawRowsPerSecond;
    }
  }

  /** One raw ONNX Runtime call: tensor, {@code session.run}, read the output. */
  interface RawCall {
    void run() throws OrtException;
  }

  static final long[] IRIS_ROW = {1, 4};

  static InferenceCall irisCall() {
    return new InferenceCall(
        "iris",
        null,
        new InferenceRequest(
            null,
            null,
            List.of(NamedTensor.of("features", "FP32", List.of(1L, 4L), SETOSA)),
            null));
  }

  static float[] setosa() {
    return SETOSA.clone();
  }

  static OrtSession session(OrtEnvironment env, BlobStore store, String model, String version)
      throws OrtException, IOException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      return env.createSession(store.read(BucketLayout.modelFile(model, version)), options);
    }
  }

  static String trainAndPromote(FileSystemBlobStore store) throws IOException {
    try (InputStream iris =
        PipelineBenchmark.class.getClassLoader().getResourceAsStream("triad/datasets/iris.csv")) {
      store.put("data/iris/iris.csv", iris.readAllBytes());
    }
    String version = "bench-1";
    int exit =
        new TrainerMain(System.err, Clock.systemUTC(), false)
            .run(
                "--store",
                store.uri(),
                "--model",
                "iris",
                "--version",
                version,
                "--data",
                "data/iris/iris.csv",
                "--output",
                BucketLayout.candidateDir("iris", version));
    if (exit != 0) {
      throw new IllegalStateException("training failed");
    }
    return version;
  }

  static ConfigurableApplicationContext context(BlobStore store) {
    return new SpringApplicationBuilder(PipelineBenchmark.class)
        .initializers(
            new TriadFunctions(),
            (ApplicationContextInitializer<GenericApplicationContext>)
                ctx -> {
                  ctx.registerBean(BlobStore.class, () -> store);
                  ctx.registerBean(
                      TrainingLauncher.class,
                      () -> TrainingLauncher.refusing("local", "the benchmark does not retrain"));
                })
        .web(WebApplicationType.NONE)
        .properties(
            Map.of(
                "logging.level.root",
                "WARN",
                "logging.level.org.springframework.cloud.function.context.catalog.BeanFactoryAwareFunctionRegistry",
                "ERROR"))
        .properties(BenchKeys.settings())
        .run();
  }

  static void promote(FunctionCatalog catalog, String version) {
    Function<ObjectCreated, Outcome> onObjectCreated = catalog.lookup("onObjectCreated");
    Outcome outcome =
        onObjectCreated.apply(
            ObjectCreated.of(
                BucketLayout.candidateDir("iris", version) + BucketLayout.MANIFEST_FILE));
    System.out.printf("gate: %s%n", outcome);
    if (!(outcome instanceof Outcome.Promoted)) {
      throw new IllegalStateException("the benchmark model was not promoted: " + outcome);
    }
  }

  /**
   * One call through Triad's {@code predict} vs the raw session, interleaved in 10 blocks after a
   * warm-up.
   */
  static Latencies latency(
      Function<InferenceCall, InferenceResponse> predict,
      InferenceCall call,
      RawCall raw,
      int warmup,
      int measured)
      throws OrtException {
    int blocks = 10;
    long[] triad = new long[measured];
    long[] baseline = new long[measured];
    for (int i = 0; i < warmup; i++) {
      predict.apply(call);
      raw.run();
    }
    int per = measured / blocks;
    for (int b = 0; b < blocks; b++) {
      for (int i = b * per; i < (b + 1) * per; i++) {
        long t0 = System.nanoTime();
        raw.run();
        baseline[i] = System.nanoTime() - t0;
      }
      for (int i = b * per; i < (b + 1) * per; i++) {
        long t0 = System.nanoTime();
        predict.apply(call);
        triad[i] = System.nanoTime() - t0;
      }
    }
    return new Latencies(Percentiles.of(baseline), Percentiles.of(triad));
  }

  static float rawRun(
      OrtEnvironment env, OrtSession raw, String input, float[] values, long[] shape)
      throws OrtException {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
        OrtSession.Result result = raw.run(Map.of(input, tensor))) {
      return ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
    }
  }

  /**
   * 100,000 rows: the upload path vs raw batches vs a plain-Java CSV scorer, median of {@value
   * #ROUNDS} rounds.
   */
  static Throughput throughput(
      FunctionCatalog catalog,
      OrtEnvironment env,
      OrtSession raw,
      FileSystemBlobStore store,
      Path work)
      throws Exception {
    byte[] csv = bigCsv();
    store.put("incoming/iris/big.csv", csv);
    Function<ObjectCreated, Outcome> onObjectCreated = catalog.lookup("onObjectCreated");
    float[][] batches = batches();
    double[] triad = new double[ROUNDS];
    double[] pure = new double[ROUNDS];
    double[] plain = new double[ROUNDS];
    for (int r = -1; r < ROUNDS; r++) {
      long t0 = System.nanoTime();
      Outcome outcome = onObjectCreated.apply(ObjectCreated.of("incoming/iris/big.csv"));
      long t1 = System.nanoTime();
      if (!(outcome instanceof Outcome.Written written) || written.rows() != ROWS) {
        throw new IllegalStateException("upload not scored: " + outcome);
      }
      long pureNanos = runBatches(env, raw, batches);
      long t2 = System.nanoTime();
      plainJavaScorer(env, raw, store.pathOf("incoming/iris/big.csv"), work.resolve("plain.jsonl"));
      long t3 = System.nanoTime();
      if (r >= 0) {
        triad[r] = ROWS / ((t1 - t0) / 1e9);
        pure[r] = ROWS / (pureNanos / 1e9);
        plain[r] = ROWS / ((t3 - t2) / 1e9);
      }
    }
    return new Throughput(median(triad), median(pure), median(plain));
  }

  static byte[] bigCsv() {
    Random random = new Random(7);
    StringBuilder csv = new StringBuilder("id,sepal_length,sepal_width,petal_length,petal_width\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append("r").append(i);
      for (int f = 0; f < 4; f++) {
        csv.append(',').append(String.format("%.1f", 0.5 + random.nextFloat() * 7));
      }
      csv.append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static float[][] batches() {
    Random random = new Random(7);
    int count = (ROWS + BATCH - 1) / BATCH;
    float[][] batches = new float[count][];
    for (int b = 0; b < count; b++) {
      int rows = Math.min(BATCH, ROWS - b * BATCH);
      batches[b] = new float[rows * 4];
      for (int i = 0; i < batches[b].length; i++) {
        batches[b][i] = 0.5f + random.nextFloat() * 7;
      }
    }
    return batches;
  }

  private static long runBatches(OrtEnvironment env, OrtSession raw, float[][] batches)
      throws OrtException {
    long t0 = System.nanoTime();
    for (float[] batch : batches) {
      try (OnnxTensor input =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(batch), new long[] {batch.length / 4, 4});
          OrtSession.Result result = raw.run(Map.of("features", input))) {
        ((OnnxTensor) result.get(0)).getFloatBuffer();
      }
    }
    return System.nanoTime() - t0;
  }

  /** What a developer would write by hand with no framework: the fair baseline for uploads. */
  private static void plainJavaScorer(OrtEnvironment env, OrtSession raw, Path csv, Path out)
      throws IOException, OrtException {
    String[] labels = {"setosa", "versicolor", "virginica"};
    try (BufferedReader in = Files.newBufferedReader(csv);
        Writer w = new BufferedWriter(Files.newBufferedWriter(out), 1 << 16)) {
      in.readLine();
      String[] ids = new String[BATCH];
      float[] features = new float[BATCH * 4];
      int n = 0;
      for (String line = in.readLine(); ; line = in.readLine()) {
        if (line != null) {
          String[] cells = line.split(",");
          ids[n] = cells[0];
          for (int f = 0; f < 4; f++) {
            features[n * 4 + f] = Float.parseFloat(cells[f + 1]);
          }
          n++;
        }
        if (n == BATCH || (line == null && n > 0)) {
          try (OnnxTensor input =
                  OnnxTensor.createTensor(
                      env, FloatBuffer.wrap(features, 0, n * 4), new long[] {n, 4});
              OrtSession.Result result = raw.run(Map.of("features", input))) {
            FloatBuffer p = ((OnnxTensor) result.get(0)).getFloatBuffer();
            for (int i = 0; i < n; i++) {
              int best = 0;
              for (int c = 1; c < 3; c++) {
                best = p.get(i * 3 + c) > p.get(i * 3 + best) ? c : best;
              }
              w.write(
                  "{\"id\":\""
                      + ids[i]
                      + "\",\"label\":\""
                      + labels[best]
                      + "\",\"probabilities\":{\"setosa\":"
                      + p.get(i * 3)
                      + ",\"versicolor\":"
                      + p.get(i * 3 + 1)
                      + ",\"virginica\":"
                      + p.get(i * 3 + 2)
                      + "}}\n");
            }
          }
          n = 0;
        }
        if (line == null) {
          break;
        }
      }
    }
  }

  /**
   * The runnable jar on a bucket that already serves iris: process start to first 200 from
   * :predict.
   */
  private static void startToFirstAnswer(Path jar, Path work, FileSystemBlobStore store)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    int port = 18_000 + new Random().nextInt(2_000);
    String body =
        "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/iris:predict"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    double[] millis = new double[3];
    for (int r = 0; r < millis.length; r++) {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString(),
                  "--triad.local.bucket=" + store.root(),
                  "--triad.local.port=" + port,
                  "--triad.models.iris.schedule=",
                  "--" + BenchKeys.settings()[1])
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("local-" + r + ".log").toFile());
      builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
      long t0 = System.nanoTime();
      Process process = builder.start();
      try {
        while (true) {
          try {
            if (http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
              break;
            }
          } catch (IOException notYet) {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "the local runtime exited; see " + work.resolve("local-" + r + ".log"));
            }
          }
          Thread.sleep(5);
        }
        millis[r] = (System.nanoTime() - t0) / 1e6;
      } finally {
        process.destroy();
        process.waitFor();
      }
    }
    System.out.printf(
        "%n| local runtime (java -jar), process start to first 200 from :predict | ms |%n|---|---:|%n");
    System.out.printf(
        "| median of %d starts (runs: %s) | %.0f |%n",
        millis.length,
        Arrays.toString(Arrays.stream(millis).mapToLong(Math::round).toArray()),
        median(millis));
  }

  private static double micros(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e3;
  }

  private static double median(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }

  static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var paths = Files.walk(root)) {
        for (Path p :
            (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }
}
