package io.triad.azure;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.triad.azblob.AzureBlobStore;
import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.azure.FunctionsHostDoubles.Request;
import io.triad.azure.FunctionsHostDoubles.Response;
import io.triad.functions.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Start and warm latency of the HTTP function through the worker's injector path against a plain
 * handler (no Spring, no Triad: blob client, one ONNX Runtime session, Jackson) serving the same
 * model from the same Azurite container. Each start is a fresh JVM; modes alternate. Not a test:
 * run by hand, see docs/benchmarks.md.
 */
public final class AzureAdapterBenchmark {
  private static final String BODY =
      "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[6.7,3.0,5.2,2.3]}]}";
  private static final int WARM_UP = 5_000;
  private static final int CALLS = 20_000;

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      child(args[0]);
      return;
    }
    Path work = Files.createTempDirectory("triad-azure-bench");
    try (Azurite azurite = Azurite.start(work)) {
      BlobContainerClient container =
          new BlobServiceClientBuilder()
              .connectionString(azurite.connectionString())
              .httpClient(new JdkHttpClientBuilder().build())
              .buildClient()
              .createBlobContainer("triad");
      new TestModels(new AzureBlobStore(container)).publishIris("1");
      System.out.println(
          "| mode | main to first 200 (ms) | warm p50 (µs) | warm p99 (µs) | peak RSS (MiB) |");
      System.out.println("|---|---:|---:|---:|---:|");
      for (int round = 0; round < 3; round++) {
        for (String mode : List.of("plain", "injector")) {
          System.out.println(runChild(mode, azurite.connectionString()));
        }
      }
    }
  }

  private static String runChild(String mode, String connection) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            AzureAdapterBenchmark.class.getName(),
            mode);
    builder
        .environment()
        .putAll(
            Map.of(
                "ORT_DISABLE_TELEMETRY",
                "1",
                AzureSettings.CONTAINER,
                "triad",
                io.triad.settings.AzureContract.SIGNING_TRUSTED_KEYS,
                TestModels.TRUSTED_KEY,
                AzureSettings.STORAGE_CONNECTION,
                connection,
                io.triad.settings.AzureContract.MODELS,
                "iris"));
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(mode + " failed: " + out);
    }
    return out.lines()
        .filter(l -> l.startsWith("| "))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(out));
  }

  private static void child(String mode) throws Exception {
    long t0 = System.nanoTime();
    Supplier<Integer> call = mode.equals("injector") ? injectorPath() : plainHandler();
    if (call.get() != 200) {
      throw new IllegalStateException("first call failed");
    }
    double startMs = (System.nanoTime() - t0) / 1e6;
    // a parent that times the whole JVM (integration-tests' AllRuntimesBenchmark) stops its clock
    // here
    System.out.println("answered");
    System.out.flush();
    for (int i = 0; i < WARM_UP; i++) {
      call.get();
    }
    long[] micros = new long[CALLS];
    for (int i = 0; i < CALLS; i++) {
      long s = System.nanoTime();
      call.get();
      micros[i] = System.nanoTime() - s;
    }
    Arrays.sort(micros);
    System.out.printf(
        "| %s | %.0f | %.1f | %.1f | %d |%n",
        mode, startMs, micros[CALLS / 2] / 1e3, micros[CALLS * 99 / 100] / 1e3, peakRssMib());
    System.out.flush();
    System.exit(0);
  }

  private static Supplier<Integer> injectorPath() throws Exception {
    FunctionInstanceInjector injector =
        ServiceLoader.load(FunctionInstanceInjector.class).findFirst().orElseThrow();
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    return () -> {
      try {
        Response r =
            (Response)
                injector
                    .getInstance(HttpEntry.class)
                    .run(
                        Request.post("/v2/models/iris/infer", "application/json", body),
                        new Invocation("http"));
        return r.getStatusCode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** What a hand-written function would do: read the model once, then parse, run, answer. */
  private static Supplier<Integer> plainHandler() throws Exception {
    BlobContainerClient container =
        new BlobServiceClientBuilder()
            .connectionString(System.getenv(AzureSettings.STORAGE_CONNECTION))
            .httpClient(new JdkHttpClientBuilder().build())
            .buildClient()
            .getBlobContainerClient(System.getenv(AzureSettings.CONTAINER));
    String version =
        container
            .getBlobClient("models/iris/aliases/production")
            .downloadContent()
            .toString()
            .trim();
    byte[] model =
        container
            .getBlobClient("models/iris/" + version + "/model.onnx")
            .downloadContent()
            .toBytes();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    OrtSession session = env.createSession(model, options);
    ObjectMapper json = new ObjectMapper();
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    return () -> {
      try {
        JsonNode input = json.readTree(body).get("inputs").get(0);
        float[] data = new float[input.get("data").size()];
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) input.get("data").get(i).asDouble();
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, new float[][] {data});
            OrtSession.Result result = session.run(Map.of("features", tensor))) {
          float[][] out = (float[][]) result.get(0).getValue();
          List<Float> probabilities = new ArrayList<>();
          for (float f : out[0]) {
            probabilities.add(f);
          }
          json.writeValueAsBytes(
              Map.of(
                  "model_name",
                  "iris",
                  "outputs",
                  List.of(Map.of("name", "probabilities", "data", probabilities))));
        }
        return 200;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static long peakRssMib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }
}
