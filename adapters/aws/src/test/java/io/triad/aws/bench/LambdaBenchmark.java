package io.triad.aws.bench;

import io.triad.aws.AwsClients;
import io.triad.aws.AwsSettings;
import io.triad.aws.testing.LambdaProcess;
import io.triad.aws.testing.RuntimeApiServer;
import io.triad.aws.testing.S3Emulator;
import io.triad.functions.testing.TestModels;
import io.triad.s3.S3BlobStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * Cold start, warm latency, peak RSS and package size of the Lambda package on the real runtime
 * interface client, against {@link PlainOnnxHandler} with the same model in the same run. {@code
 * ./mvnw -B -q -DskipTests -Pbench -pl adapters/aws -am verify}; args: ZIP WORK_DIR TEST_CLASSES.
 */
public final class LambdaBenchmark {
  private static final int ROUNDS = 3;
  private static final int WARM_UP = 200;
  private static final int CALLS = 2000;
  private static final String BUCKET = "triad-bench";

  public static void main(String[] args) throws Exception {
    Path zip = Path.of(args[0]);
    Path work = Files.createDirectories(Path.of(args[1]));
    Path testClasses = Path.of(args[2]);
    Path task = LambdaProcess.unpack(zip, work.resolve("task"));
    byte[] event =
        LambdaBenchmark.class.getResourceAsStream("/events/aws/apigw-v2/infer.json").readAllBytes();
    Path model = Files.write(work.resolve("iris.onnx"), TestModels.irisOnnx());
    String runtimeCp = LambdaProcess.runtimeClasspath();

    try (S3Emulator s3rver = S3Emulator.start(work.resolve("s3rver"), BUCKET, null)) {
      new TestModels(
              new S3BlobStore(
                  AwsClients.s3(
                      AwsSettings.from(
                          Map.of(AwsSettings.S3_ENDPOINT, s3rver.endpoint().toString())::get)),
                  BUCKET))
          .publishIris("1");
      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  AwsSettings.BUCKET,
                  BUCKET,
                  AwsSettings.S3_ENDPOINT,
                  s3rver.endpoint().toString(),
                  "AWS_ACCESS_KEY_ID",
                  "S3RVER",
                  "AWS_SECRET_ACCESS_KEY",
                  "S3RVER",
                  "MODEL_FILE",
                  model.toString()));
      env.put(io.triad.settings.AwsContract.SIGNING_TRUSTED_KEYS, TestModels.TRUSTED_KEY);
      Function triad =
          new Function(
              "Triad HttpEntry",
              LambdaProcess.packageClasspath(task) + File.pathSeparator + runtimeCp,
              "io.triad.aws.HttpEntry::handleRequest",
              List.of());
      Function plain =
          new Function(
              "plain ONNX Runtime handler",
              task
                  + File.pathSeparator
                  + task.resolve("lib")
                  + "/*"
                  + File.pathSeparator
                  + testClasses
                  + File.pathSeparator
                  + runtimeCp,
              "io.triad.aws.bench.PlainOnnxHandler::handleRequest",
              List.of("-Donnxruntime.native.path=" + task.resolve("native/linux-x64")));

      System.out.println(
          "| cold start, JVM launch to first answered HTTP event (ms) | runs | median |");
      System.out.println("|---|---|---:|");
      for (List<String> cds : List.of(List.<String>of(), List.of("-Xshare:off"))) {
        String label = cds.isEmpty() ? "default CDS" : "-Xshare:off";
        long[] t = new long[ROUNDS];
        long[] p = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
          t[i] = triad.coldStart(cds, env, event, work);
          p[i] = plain.coldStart(cds, env, event, work);
        }
        System.out.printf(
            "| %s, %s | %s | %d |%n", triad.name, label, Arrays.toString(t), median(t));
        System.out.printf(
            "| %s, %s | %s | %d |%n", plain.name, label, Arrays.toString(p), median(p));
        System.out.printf(
            "| ratio Triad / plain, %s | | %.2f |%n", label, (double) median(t) / median(p));
      }
      System.out.println();
      System.out.println(
          "| warm, one iris infer event through the RIC ("
              + CALLS
              + " calls) | p50 µs | p99 µs | peak RSS MiB |");
      System.out.println("|---|---:|---:|---:|");
      for (Function f : List.of(triad, plain)) {
        f.warm(env, event, work);
      }
    }
    long unzipped = 0;
    try (ZipFile z = new ZipFile(zip.toFile())) {
      unzipped = z.stream().mapToLong(e -> Math.max(e.getSize(), 0)).sum();
    }
    System.out.printf(
        "%npackage %s: %.1f MB zipped, %.1f MB unzipped%n",
        zip.getFileName(), Files.size(zip) / 1e6, unzipped / 1e6);
  }

  private record Function(String name, String classpath, String handler, List<String> jvmOptions) {

    long coldStart(List<String> cds, Map<String, String> env, byte[] event, Path work)
        throws Exception {
      try (RuntimeApiServer runtime = new RuntimeApiServer()) {
        var answer = runtime.invoke(event); // queued before the JVM starts: the first /next gets it
        long start = System.nanoTime();
        try (LambdaProcess process = launch(runtime, cds, env, work)) {
          RuntimeApiServer.Result result = answer.get(120, TimeUnit.SECONDS);
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          if (!result.ok() || !result.body().contains("\"statusCode\":200")) {
            throw new IllegalStateException(name + " answered " + result + "\n" + process.output());
          }
          return ms;
        }
      }
    }

    void warm(Map<String, String> env, byte[] event, Path work) throws Exception {
      try (RuntimeApiServer runtime = new RuntimeApiServer();
          LambdaProcess process = launch(runtime, List.of(), env, work)) {
        long[] micros = new long[CALLS];
        for (int i = 0; i < WARM_UP + CALLS; i++) {
          long start = System.nanoTime();
          RuntimeApiServer.Result result = runtime.invoke(event).get(60, TimeUnit.SECONDS);
          if (i >= WARM_UP) {
            micros[i - WARM_UP] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
          }
          if (!result.ok()) {
            throw new IllegalStateException(name + " failed: " + result.body());
          }
        }
        Arrays.sort(micros);
        System.out.printf(
            "| %s | %d | %d | %.0f |%n",
            name, micros[CALLS / 2], micros[CALLS * 99 / 100], process.peakRssKib() / 1024.0);
      }
    }

    private LambdaProcess launch(
        RuntimeApiServer runtime, List<String> cds, Map<String, String> env, Path work)
        throws Exception {
      List<String> options = new ArrayList<>(jvmOptions);
      options.addAll(cds);
      options.add("-Xmx384m"); // what a 512 MB function leaves the heap
      return LambdaProcess.start(
          classpath,
          handler,
          runtime.address(),
          work.resolve("task"),
          options,
          env,
          work.resolve("bench.log"));
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
