package io.triad.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.triad.bench.PipelineBenchmark.Latencies;
import io.triad.bench.PipelineBenchmark.Throughput;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.NamedTensor;
import io.triad.functions.api.TriadJson;
import io.triad.functions.image.ImageDecoder;
import io.triad.functions.image.ImageTensor;
import io.triad.functions.model.ImageInput;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.store.FileSystemBlobStore;
import java.nio.file.Path;
import java.util.List;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The in-process figures every runtime shares: Triad's {@code predict} through the FunctionCatalog
 * against raw {@code session.run} (interleaved, {@link PipelineBenchmark#latency}) for one iris row
 * and one MNIST digit tensor, and the upload path against raw ONNX Runtime batches
 * ({@link PipelineBenchmark#throughput}).
 */
record CoreFigures(Latencies iris, Latencies mnist, Throughput upload) {

  static CoreFigures measure(FileSystemBlobStore store, String irisVersion, byte[] digitPng, Path work) throws Exception {
    try (ConfigurableApplicationContext context = PipelineBenchmark.context(store)) {
      FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
      PipelineBenchmark.promote(catalog, irisVersion);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession iris = PipelineBenchmark.session(env, store, "iris", irisVersion);
          OrtSession mnist = PipelineBenchmark.session(env, store, "mnist", "1")) {
        Latencies irisLatency = PipelineBenchmark.latency(catalog.lookup("predict"), PipelineBenchmark.irisCall(),
            () -> PipelineBenchmark.rawRun(env, iris, "features", PipelineBenchmark.setosa(), PipelineBenchmark.IRIS_ROW), 20_000, 50_000);
        ModelManifest manifest = TriadJson.mapper().readValue(store.read(ModelKeys.manifest("mnist", "1")), ModelManifest.class);
        ImageInput spec = manifest.preprocessing().image();
        float[] digit = new float[spec.valuesPerImage()];
        new ImageTensor(spec).write(ImageDecoder.decode(digitPng, spec.maxPixelsOrDefault(), spec.backgroundRgb()), digit, 0);
        String input = manifest.preprocessing().input();
        List<Long> shape = spec.shape(1);
        InferenceCall call = new InferenceCall("mnist", null, new InferenceRequest(null, null,
            List.of(NamedTensor.of(input, "FP32", shape, digit)), null));
        long[] rawShape = shape.stream().mapToLong(Long::longValue).toArray();
        Latencies mnistLatency = PipelineBenchmark.latency(catalog.lookup("predict"), call,
            () -> PipelineBenchmark.rawRun(env, mnist, input, digit, rawShape), 2_000, 10_000);
        return new CoreFigures(irisLatency, mnistLatency, PipelineBenchmark.throughput(catalog, env, iris, store, work));
      }
    }
  }
}
