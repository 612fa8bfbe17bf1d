package io.triad.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.triad.bench.PipelineBenchmark.Latencies;
import io.triad.bench.PipelineBenchmark.Percentiles;
import io.triad.bench.PipelineBenchmark.Throughput;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadJson;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.image.ImageDecoder;
import io.triad.functions.image.ImageTensor;
import io.triad.functions.model.ImageInput;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The in-process figures every runtime shares: Triad's {@code predict} through the FunctionCatalog
 * against raw {@code session.run} (interleaved, {@link PipelineBenchmark#latency}) for one iris row
 * and one MNIST digit tensor, and the upload path against raw ONNX Runtime batches ({@link
 * PipelineBenchmark#throughput}); and the whole HTTP API in process ({@code InferenceApi.handle} on
 * the {@code :predict} request the HTTP fronts get), which every runtime's front calls.
 */
record CoreFigures(Latencies iris, Latencies mnist, Percentiles api, Throughput upload) {

  static CoreFigures measure(
      FileSystemBlobStore store, String irisVersion, byte[] digitPng, Path work) throws Exception {
    try (ConfigurableApplicationContext context = PipelineBenchmark.context(store)) {
      FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
      PipelineBenchmark.promote(catalog, irisVersion);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession iris = PipelineBenchmark.session(env, store, "iris", irisVersion);
          OrtSession mnist = PipelineBenchmark.session(env, store, "mnist", "1")) {
        Latencies irisLatency =
            PipelineBenchmark.latency(
                catalog.lookup("predict"),
                PipelineBenchmark.irisCall(),
                () ->
                    PipelineBenchmark.rawRun(
                        env,
                        iris,
                        "features",
                        PipelineBenchmark.setosa(),
                        PipelineBenchmark.IRIS_ROW),
                20_000,
                50_000);
        ModelManifest manifest =
            TriadJson.mapper()
                .readValue(store.read(BucketLayout.manifest("mnist", "1")), ModelManifest.class);
        ImageInput spec = manifest.preprocessing().image();
        float[] digit = new float[spec.valuesPerImage()];
        new ImageTensor(spec)
            .write(
                ImageDecoder.decode(digitPng, spec.maxPixelsOrDefault(), spec.backgroundRgb()),
                digit,
                0);
        String input = manifest.preprocessing().input();
        List<Long> shape = spec.shape(1);
        InferenceCall call =
            new InferenceCall(
                "mnist",
                null,
                new InferenceRequest(
                    null, null, List.of(NamedTensor.of(input, "FP32", shape, digit)), null));
        long[] rawShape = shape.stream().mapToLong(Long::longValue).toArray();
        Latencies mnistLatency =
            PipelineBenchmark.latency(
                catalog.lookup("predict"),
                call,
                () -> PipelineBenchmark.rawRun(env, mnist, input, digit, rawShape),
                2_000,
                10_000);
        return new CoreFigures(
            irisLatency,
            mnistLatency,
            api(context.getBean(InferenceApi.class)),
            PipelineBenchmark.throughput(catalog, env, iris, store, work));
      }
    }
  }

  /**
   * {@code POST /v1/models/iris:predict}, one row, through the API every front calls: routing, JSON
   * in and out, the composition.
   */
  private static Percentiles api(InferenceApi api) {
    byte[] body = Requests.of(new byte[0]).iris().json().getBytes(StandardCharsets.UTF_8);
    HttpCall call =
        new HttpCall(
            "POST", "/v1/models/iris:predict", Map.of("Content-Type", "application/json"), body);
    for (int i = 0; i < 20_000; i++) {
      api.handle(call);
    }
    long[] nanos = new long[50_000];
    for (int i = 0; i < nanos.length; i++) {
      long t = System.nanoTime();
      if (api.handle(call).status() != 200) {
        throw new IllegalStateException("the API did not answer 200");
      }
      nanos[i] = System.nanoTime() - t;
    }
    return Percentiles.of(nanos);
  }
}
