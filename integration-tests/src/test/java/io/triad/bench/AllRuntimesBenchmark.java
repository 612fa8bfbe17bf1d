package io.triad.bench;

import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import io.triad.aws.AwsClients;
import io.triad.aws.AwsSettings;
import io.triad.aws.testing.S3Emulator;
import io.triad.azure.AzureAdapterBenchmark;
import io.triad.azure.AzureStarts;
import io.triad.contract.UploadThroughput;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.gcp.GcpRuntime;
import io.triad.gcp.bench.PlainIrisFunction;
import io.triad.layout.BucketLayout;
import io.triad.s3.S3BlobStore;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every runtime in one run, on the same trained models (iris; MNIST where the local runtime serves
 * it): cold start to the first answered request against a plain-Java ONNX Runtime baseline on the
 * same front, started alternately; warm latency against raw {@code session.run}; upload throughput
 * against raw ONNX Runtime batches; peak RSS; artifact sizes; then the cold-start levers (AppCDS,
 * the JDK 25 AOT cache, component scanning on top of functional registration, every
 * auto-configuration vs the function catalog's alone). Prints markdown tables; asserts nothing (the
 * machines are shared and noisy).
 *
 * <p>{@code ./mvnw -B -q -DskipTests -Pbench-all -pl integration-tests -am verify}; the paths come
 * as system properties from the profile (see integration-tests/pom.xml).
 */
public final class AllRuntimesBenchmark {
  static final String BUCKET = "triad-bench";

  private AllRuntimesBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty(
        "sun.net.httpserver.nodelay", "true"); // the test Runtime API answers small events
    long started = System.nanoTime();
    Settings settings = Settings.fromSystemProperties();
    String machineAtStart = machine(settings);
    Path work = Files.createDirectories(Path.of(args[0]));
    PipelineBenchmark.deleteTree(work);
    FileSystemBlobStore core =
        new FileSystemBlobStore(Files.createDirectories(work.resolve("core-bucket")));
    String iris = PipelineBenchmark.trainAndPromote(core);
    List<byte[]> digits = ImageBenchmark.mnist(core);
    CoreFigures coreFigures = CoreFigures.measure(core, iris, digits.get(0), work);
    FileSystemBlobStore served =
        new FileSystemBlobStore(Files.createDirectories(work.resolve("bucket")));
    publish(core, served, "iris", "mnist");
    seedDataSets(served);

    try (S3Emulator s3rver = S3Emulator.start(work.resolve("s3rver"), BUCKET, null);
        AzureStarts azure = AzureStarts.open(work, BUCKET)) {
      publish(
          core,
          new S3BlobStore(
              AwsClients.s3(
                  AwsSettings.from(
                      Map.of(AwsSettings.S3_ENDPOINT, s3rver.endpoint().toString())::get)),
              BUCKET),
          "iris");
      publish(core, azure.bucket(), "iris");
      Map<String, Path> models =
          Map.of(
              "iris",
              served.pathOf(BucketLayout.modelFile("iris", iris)),
              "mnist",
              served.pathOf(BucketLayout.modelFile("mnist", "1")));
      Requests requests = Requests.of(digits.get(0));
      Lineup lineup =
          new Lineup(
              settings,
              LocalStarts.prepare(
                  settings.localJar(), served.root(), models, requests, work, settings.warmCalls()),
              LambdaStarts.prepare(
                  settings.lambdaZip(),
                  work,
                  s3rver.endpoint(),
                  BUCKET,
                  models.get("iris"),
                  settings.warmCalls()),
              azure,
              azureClassPath(settings.azureStaging()),
              gcpStarts(settings, served, models.get("iris")),
              requests,
              work);
      lineup.trainArchives();
      List<String> only =
          java.util.Arrays.stream(System.getProperty("triad.bench.only", "").split(";"))
              .map(String::strip)
              .filter(w -> !w.isEmpty())
              .toList();
      if (!only.isEmpty()) {
        // some rows only, more rounds of them: their medians, no tables
        List<ColdStart> chosen =
            lineup.starts().stream().filter(s -> only.contains(s.name())).toList();
        Rounds some = new Rounds().run(chosen, settings.rounds());
        for (ColdStart start : chosen) {
          List<Long> firsts =
              some.samples(start.name()).stream().map(Sample::firstAnswerMs).sorted().toList();
          System.out.printf(
              "median of %d: %s: first answer %d ms %s%n",
              firsts.size(),
              start.name(),
              firsts.isEmpty() ? -1 : firsts.get(firsts.size() / 2),
              firsts);
        }
        return;
      }
      Rounds rounds = new Rounds().run(lineup.starts(), settings.rounds());
      Map<String, Double> uploads =
          UploadThroughput.measure(
              work.resolve("uploads"),
              core,
              iris,
              PipelineBenchmark.bigCsv(),
              PipelineBenchmark.ROWS,
              3);
      Report report = new Report(settings, coreFigures, rounds, lineup.archiveFailures(), uploads);
      report.print(
          System.out,
          (System.nanoTime() - started) / 1e9,
          machineAtStart + "; at the end: load average " + loadAverage());
      if (!report.requiredComplete()) {
        throw new IllegalStateException(
            "a runtime or baseline failed to start; see the FAILED lines above");
      }
    }
  }

  /** What the figures were measured on: date, cores, memory, load, both JDKs. */
  private static String machine(Settings settings) throws Exception {
    String memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "");
    String jdk25 = "none";
    if (settings.hasJdk25()) {
      Process version =
          new ProcessBuilder(settings.jdk25().toString(), "-version")
              .redirectErrorStream(true)
              .start();
      jdk25 =
          new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .skip(1)
              .findFirst()
              .orElse("?");
      version.waitFor();
    }
    return String.format(
        java.util.Locale.ROOT,
        "%s UTC; %d cores, %.0f GiB; load average %s; harness and children on %s %s; JDK 25: %s",
        java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0),
        Runtime.getRuntime().availableProcessors(),
        Long.parseLong(memory) / 1048576.0,
        loadAverage(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        jdk25);
  }

  private static String loadAverage() throws java.io.IOException {
    return String.join(
        " ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
  }

  /** Copies each model's served version and alias from one store to another. */
  static void publish(BlobStore from, BlobStore to, String... models) {
    for (String model : models) {
      String alias = BucketLayout.alias(model, BucketLayout.PRODUCTION);
      String version = new String(from.read(alias), StandardCharsets.UTF_8).trim();
      to.put(
          BucketLayout.modelFile(model, version),
          from.read(BucketLayout.modelFile(model, version)));
      to.put(
          BucketLayout.manifest(model, version), from.read(BucketLayout.manifest(model, version)));
      to.put(
          BucketLayout.signature(model, version),
          from.read(BucketLayout.signature(model, version)));
      to.put(alias, from.read(alias));
    }
  }

  /** The data sets the local runtime would otherwise copy into its bucket on its first start. */
  private static void seedDataSets(FileSystemBlobStore bucket) throws Exception {
    for (String model : List.of("iris", "mnist")) {
      try (InputStream in =
          AllRuntimesBenchmark.class
              .getClassLoader()
              .getResourceAsStream("triad/datasets/" + model + ".csv")) {
        bucket.put("data/" + model + "/" + model + ".csv", in.readAllBytes());
      }
    }
  }

  /**
   * The Function App as staged for deployment (app jar + lib/), the worker's API jars, and the
   * adapter's test jar (the child).
   */
  private static String azureClassPath(Path staging) throws Exception {
    List<String> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(staging)) {
      files.filter(f -> f.toString().endsWith(".jar")).forEach(f -> entries.add(f.toString()));
    }
    entries.add(staging.resolve("lib") + File.separator + "*");
    entries.add(BenchJars.location(AzureAdapterBenchmark.class).toString());
    entries.add(
        BenchJars.location(com.microsoft.azure.functions.HttpRequestMessage.class).toString());
    entries.add(
        BenchJars.location(com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector.class)
            .toString());
    return String.join(File.pathSeparator, entries);
  }

  private static List<ColdStart> gcpStarts(
      Settings settings, FileSystemBlobStore bucket, Path irisModel) {
    String invoker = BenchJars.location(HttpFunctionExecutor.class).toString();
    String deploy = settings.gcpDeployJar().toString();
    Map<String, String> triad =
        Map.of(
            GcpRuntime.STORE,
            bucket.root().toUri().toString(),
            io.triad.settings.TriadContract.MODELS,
            "iris",
            // the run's packages are signed with its own key
            io.triad.settings.TriadContract.SIGNING_TRUSTED_KEYS,
            BenchKeys.trustedKeys());
    Map<String, String> deployed = new java.util.HashMap<>(triad);
    // the JVM options the stack gives every function (C1 only, Spring AOT)
    deployed.put(
        io.triad.settings.GcpContract.JAVA_TOOL_OPTIONS, io.triad.settings.GcpContract.JVM_OPTIONS);
    return List.of(
        new GcpStart(
            Lineup.GCP_PLAIN,
            invoker,
            deploy + File.pathSeparator + BenchJars.location(PlainIrisFunction.class),
            PlainIrisFunction.class.getName(),
            Map.of("PLAIN_MODEL", irisModel.toString()),
            "http/predict-records",
            settings.warmCalls()),
        new GcpStart(
            Lineup.GCP,
            invoker,
            deploy,
            "io.triad.gcp.HttpEntry",
            deployed,
            "http/predict-records",
            settings.warmCalls()),
        // a lever: the JVM's defaults, the context parsed at each start
        new GcpStart(
            Lineup.GCP_DEFAULT_JVM,
            invoker,
            deploy,
            "io.triad.gcp.HttpEntry",
            triad,
            "http/predict-records",
            settings.warmCalls()));
  }

  /**
   * Where the build put each artifact and the other JDK, from the bench profile's system
   * properties.
   */
  record Settings(
      Path localJar,
      Path lambdaZip,
      Path azureStaging,
      Path azureZip,
      Path gcpDeployJar,
      Path gcpSourceZip,
      Path jdk25,
      int rounds,
      int warmCalls) {
    static Settings fromSystemProperties() {
      return new Settings(
          path("triad.local.jar"),
          path("triad.lambda.package"),
          path("triad.azure.staging"),
          path("triad.azure.package"),
          path("triad.gcp.deploy"),
          path("triad.gcp.source"),
          Path.of(
              System.getProperty(
                  "triad.bench.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")),
          Integer.getInteger("triad.bench.rounds", 3),
          Integer.getInteger("triad.bench.warm-calls", 2000));
    }

    private static Path path(String property) {
      String value = System.getProperty(property);
      if (value == null || !Files.exists(Path.of(value))) {
        throw new IllegalStateException(
            "-D" + property + " must name what the build made (got " + value + ")");
      }
      return Path.of(value);
    }

    boolean hasJdk25() {
      return Files.isExecutable(jdk25);
    }
  }
}
