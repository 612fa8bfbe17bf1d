package io.triad.bench;

import static io.triad.bench.Lineup.*;

import io.triad.bench.AllRuntimesBenchmark.Settings;
import io.triad.bench.PipelineBenchmark.Latencies;
import io.triad.bench.PipelineBenchmark.Percentiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** The two tables: every runtime against its baselines and targets, then the cold-start levers. */
final class Report {
  private static final double MIB = 1024 * 1024;
  private static final List<String> REQUIRED =
      List.of(
          LOCAL_PLAIN,
          LOCAL,
          LOCAL_PLAIN_MNIST,
          LOCAL_MNIST,
          AWS_PLAIN,
          AWS,
          AZURE_PLAIN,
          AZURE,
          GCP_PLAIN,
          GCP);

  private final Settings settings;
  private final CoreFigures core;
  private final Rounds rounds;
  private final Map<String, String> archiveFailures;
  private final Map<String, Double> cloudUploads;

  Report(
      Settings settings,
      CoreFigures core,
      Rounds rounds,
      Map<String, String> archiveFailures,
      Map<String, Double> cloudUploads) {
    this.settings = settings;
    this.core = core;
    this.rounds = rounds;
    this.archiveFailures = archiveFailures;
    this.cloudUploads = cloudUploads;
  }

  boolean requiredComplete() {
    return REQUIRED.stream()
        .allMatch(name -> rounds.failure(name) == null && !rounds.samples(name).isEmpty());
  }

  void print(PrintStream out, double seconds, String machine) throws IOException {
    out.printf(
        Locale.ROOT,
        "%n## All runtimes, %d starts each, interleaved (%.0f s in all)%n%n%s%n%n",
        settings.rounds(),
        seconds,
        machine);
    out.println(
        "| runtime · model | front, request | cold start ms: median (runs) | plain, same front, ms | × plain | warm p50 µs "
            + "| warm p99 µs | p50 over raw `session.run` µs | p50 over plain µs | upload rows/s (share of raw ORT batch) | peak RSS MiB | artifact "
            + "| target: met? |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
    coreRows(out);
    Percentiles rawIris = core.iris().raw();
    Percentiles api = core.api();
    out.printf(
        Locale.ROOT,
        "| **Triad HTTP API**, in process · iris | `InferenceApi.handle`, `:predict` 1 row, no socket | — | — | — | %.1f | %.1f | %.1f | — "
            + "| — | — | — | what every front adds its transport to |%n",
        api.p50Us(),
        api.p99Us(),
        api.p50Us() - rawIris.p50Us());
    Percentiles rawMnist = core.mnist().raw();
    row(
        out,
        "plain HTTP server · iris",
        "JDK HttpServer + Jackson + ORT, `:predict` 1 row",
        LOCAL_PLAIN,
        null,
        "iris",
        rawIris,
        null,
        "—",
        "—",
        "baseline");
    row(
        out,
        "**local** · iris",
        "the README's command (extracted jars + the build's CDS archive), `:predict` 1 row",
        LOCAL,
        LOCAL_PLAIN,
        "iris",
        rawIris,
        LOCAL_PLAIN,
        upload(median(rounds.samples(LOCAL), Sample::uploadRowsPerSecond))
            + ", file drop to output, 300 ms settle included",
        String.format(
            Locale.ROOT, "`triad-local.jar` %.1f MiB", mib(Files.size(settings.localJar()))),
        addedTarget(LOCAL, LOCAL_PLAIN, "iris"));
    row(
        out,
        "plain HTTP server · MNIST",
        "same, one 28x28 PNG (b64)",
        LOCAL_PLAIN_MNIST,
        null,
        "mnist",
        rawMnist,
        null,
        "—",
        "—",
        "baseline");
    row(
        out,
        "**local** · MNIST",
        "same, one 28x28 PNG (b64)",
        LOCAL_MNIST,
        LOCAL_PLAIN_MNIST,
        "mnist",
        rawMnist,
        LOCAL_PLAIN,
        "—",
        "same jar",
        addedTarget(LOCAL, LOCAL_PLAIN, "mnist"));
    row(
        out,
        "plain Lambda handler · iris",
        "RIC, API Gateway v2 event, `infer` 2 rows",
        AWS_PLAIN,
        null,
        "iris",
        rawIris,
        null,
        "—",
        "—",
        "baseline");
    row(
        out,
        "**AWS Lambda** · iris",
        "RIC, managed-runtime launch, same event",
        AWS,
        AWS_PLAIN,
        "iris",
        rawIris,
        AWS_PLAIN,
        upload(cloudUploads.get("aws")) + ", S3 role in process, s3rver",
        lambdaPackage(),
        awsTarget());
    row(
        out,
        "plain Azure handler · iris",
        "in process, `infer` 1 row, no host",
        AZURE_PLAIN,
        null,
        "iris",
        rawIris,
        null,
        "—",
        "—",
        "baseline");
    row(
        out,
        "**Azure Functions** · iris",
        "injector path, host doubles, same request",
        AZURE,
        AZURE_PLAIN,
        "iris",
        rawIris,
        AZURE_PLAIN,
        upload(cloudUploads.get("azure")) + ", Event Grid in process, Azurite",
        azurePackage(),
        "no numeric target: reported");
    row(
        out,
        "plain `HttpFunction` · iris",
        "stock invoker, `:predict` 2 rows",
        GCP_PLAIN,
        null,
        "iris",
        rawIris,
        null,
        "—",
        "—",
        "baseline");
    row(
        out,
        "**Google Cloud Functions** · iris",
        "stock invoker, same request",
        GCP,
        GCP_PLAIN,
        "iris",
        rawIris,
        GCP_PLAIN,
        upload(cloudUploads.get("gcp")) + ", finalize event in process, in-memory GCS",
        gcpPackage(),
        "no numeric target: reported");
    leverTable(out);
  }

  private void coreRows(PrintStream out) {
    var upload = core.upload();
    for (String model : List.of("iris", "MNIST")) {
      Latencies l = model.equals("iris") ? core.iris() : core.mnist();
      String request = model.equals("iris") ? "1 row [1,4]" : "1 digit tensor [1,1,28,28]";
      boolean iris = model.equals("iris");
      out.printf(
          Locale.ROOT,
          "| raw ONNX Runtime, in process · %s | tensor + `session.run` + read, %s | — | — | — | %.1f | %.1f | 0 | — | %s | — | — | baseline |%n",
          model,
          request,
          l.raw().p50Us(),
          l.raw().p99Us(),
          iris ? String.format(Locale.ROOT, "%,.0f (100%%)", upload.rawRowsPerSecond()) : "—");
      String uploadCell =
          iris
              ? String.format(
                  Locale.ROOT,
                  "%,.0f (%.1f%%; %.0f%% of a hand-written scorer)",
                  upload.triadRowsPerSecond(),
                  100 * upload.shareOfRaw(),
                  100 * upload.triadRowsPerSecond() / upload.plainRowsPerSecond())
              : "—";
      String target =
          "≤ 50 µs added at p50: "
              + met(l.addedP50Us() <= 50)
              + String.format(Locale.ROOT, " (%.1f)", l.addedP50Us())
              + (iris
                  ? "; upload ≥ 80% of raw batch: "
                      + met(upload.shareOfRaw() >= 0.8)
                      + String.format(Locale.ROOT, " (%.1f%%)", 100 * upload.shareOfRaw())
                  : "");
      out.printf(
          Locale.ROOT,
          "| **Triad core**, in process · %s | FunctionCatalog `predict`, same tensor | — | — | — | %.1f | %.1f | %.1f | — | %s | — | — | %s |%n",
          model,
          l.triad().p50Us(),
          l.triad().p99Us(),
          l.addedP50Us(),
          uploadCell,
          target);
    }
  }

  private void row(
      PrintStream out,
      String label,
      String front,
      String start,
      String baseline,
      String model,
      Percentiles raw,
      String plainWarm,
      String upload,
      String artifact,
      String target) {
    if (rounds.samples(start).isEmpty()) {
      out.printf(
          "| %s | %s | failed: %s | | | | | | | | | %s | |%n",
          label, front, rounds.failure(start), artifact);
      return;
    }
    String ratio = baseline == null ? "—" : ratio(start, baseline);
    String baselineMs =
        baseline == null || rounds.samples(baseline).isEmpty()
            ? "—"
            : Long.toString(medianStart(baseline));
    Percentiles warm =
        warm(
            start.equals(LOCAL_MNIST)
                ? LOCAL
                : start.equals(LOCAL_PLAIN_MNIST) ? LOCAL_PLAIN : start,
            model);
    Percentiles plain = plainWarm == null ? null : warm(plainWarm, model);
    out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s |%n",
        label,
        front,
        startCell(start),
        baselineMs,
        ratio,
        warm == null ? "—" : fmt(warm.p50Us()),
        warm == null ? "—" : fmt(warm.p99Us()),
        warm == null ? "—" : fmt(warm.p50Us() - raw.p50Us()),
        warm == null || plain == null ? "—" : fmt(warm.p50Us() - plain.p50Us()),
        upload,
        medianRssMib(start),
        artifact,
        target);
  }

  private void leverTable(PrintStream out) {
    out.printf("%n## Cold-start levers (same rounds)%n%n");
    out.println(
        "| runtime | lever | JDK | cold start ms: median (runs) | × the row it changes | × Triad default, same JDK "
            + "| × plain, same JDK, no lever | × plain with the same lever | peak RSS MiB |");
    out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
    lever(
        out,
        "local",
        "none: `java -jar triad-local.jar`",
        "17",
        LOCAL_JAR,
        null,
        LOCAL_PLAIN,
        LOCAL,
        null);
    lever(
        out,
        "local",
        "the README's command: the build's extracted jars and CDS archive",
        "17",
        LOCAL,
        LOCAL_JAR,
        LOCAL_PLAIN,
        LOCAL,
        null);
    lever(
        out,
        "local",
        "C1 only (`-XX:TieredStopAtLevel=1`)",
        "17",
        LOCAL_C1,
        LOCAL_JAR,
        LOCAL_PLAIN,
        LOCAL,
        null);
    lever(
        out,
        "local",
        "extracted jars (`-Djarmode=tools extract`)",
        "17",
        LOCAL_EXTRACTED,
        LOCAL_JAR,
        LOCAL_PLAIN,
        LOCAL,
        null);
    lever(
        out,
        "local",
        "extracted + AppCDS, archive from `spring.context.exit=onRefresh` (README)",
        "17",
        LOCAL_CDS,
        LOCAL_EXTRACTED,
        LOCAL_PLAIN,
        LOCAL,
        LOCAL_PLAIN_CDS);
    lever(
        out,
        "local",
        "extracted + AppCDS, archive from a start that served one request",
        "17",
        LOCAL_CDS_SERVED,
        LOCAL_EXTRACTED,
        LOCAL_PLAIN,
        LOCAL,
        LOCAL_PLAIN_CDS);
    lever(
        out,
        "local",
        "extracted, through Spring Boot's `SpringApplication` (as before `TriadContext`)",
        "17",
        LOCAL_BOOT,
        LOCAL_EXTRACTED,
        LOCAL_PLAIN,
        LOCAL,
        null);
    lever(out, "local", "none: `java -jar`", "25", LOCAL_25, LOCAL, LOCAL_PLAIN_25, LOCAL_25, null);
    lever(
        out,
        "local",
        "extracted jars",
        "25",
        LOCAL_EXTRACTED_25,
        LOCAL_25,
        LOCAL_PLAIN_25,
        LOCAL_25,
        null);
    lever(
        out,
        "local",
        "extracted + AOT cache, from `spring.context.exit=onRefresh` (README)",
        "25",
        LOCAL_AOT,
        LOCAL_EXTRACTED_25,
        LOCAL_PLAIN_25,
        LOCAL_25,
        LOCAL_PLAIN_AOT);
    lever(
        out,
        "local",
        "extracted + AOT cache, from a start that served one request",
        "25",
        LOCAL_AOT_SERVED,
        LOCAL_EXTRACTED_25,
        LOCAL_PLAIN_25,
        LOCAL_25,
        LOCAL_PLAIN_AOT);
    lever(out, "plain HTTP server", "none", "17", LOCAL_PLAIN, null, LOCAL_PLAIN, null, null);
    lever(
        out,
        "plain HTTP server",
        "AppCDS (from one request)",
        "17",
        LOCAL_PLAIN_CDS,
        LOCAL_PLAIN,
        LOCAL_PLAIN,
        null,
        null);
    lever(
        out,
        "plain HTTP server",
        "none",
        "25",
        LOCAL_PLAIN_25,
        LOCAL_PLAIN,
        LOCAL_PLAIN_25,
        null,
        null);
    lever(
        out,
        "plain HTTP server",
        "AOT cache (from one request)",
        "25",
        LOCAL_PLAIN_AOT,
        LOCAL_PLAIN_25,
        LOCAL_PLAIN_25,
        null,
        null);
    lever(
        out,
        "AWS Lambda",
        "none: the zip as built, managed-runtime launch, the stack's JAVA_TOOL_OPTIONS (C1 only)",
        "17",
        AWS,
        null,
        AWS_PLAIN,
        AWS,
        null);
    lever(
        out,
        "AWS Lambda",
        "start prefetch on (`TRIAD_START_PREFETCH=on`): a second thread",
        "17",
        AWS_PREFETCH,
        AWS,
        AWS_PLAIN,
        AWS,
        null);
    lever(
        out,
        "AWS Lambda",
        "full JIT: the stack's C1-only options left out of `JAVA_TOOL_OPTIONS`",
        "17",
        AWS_C2,
        AWS,
        AWS_PLAIN,
        AWS,
        null);
    lever(
        out,
        "Google Cloud Functions",
        "without the stack's `JAVA_TOOL_OPTIONS` (C1 only): the JVM's defaults",
        "17",
        GCP_DEFAULT_JVM,
        GCP,
        GCP_PLAIN,
        GCP,
        null);
    lever(
        out,
        "AWS Lambda",
        "through Spring Boot's `SpringApplication` (as before `TriadContext`)",
        "17",
        AWS_BOOT,
        AWS,
        AWS_PLAIN,
        AWS,
        null);
    lever(
        out,
        "AWS Lambda",
        "AppCDS (from one event)",
        "17",
        AWS_CDS,
        AWS,
        AWS_PLAIN,
        AWS,
        AWS_PLAIN_CDS);
    lever(
        out,
        "AWS Lambda",
        "through `SpringApplication` + every auto-configuration",
        "17",
        AWS_EVERY,
        AWS,
        AWS_PLAIN,
        AWS,
        null);
    lever(out, "AWS Lambda", "none", "25", AWS_25, AWS, AWS_PLAIN_25, AWS_25, null);
    lever(
        out,
        "AWS Lambda",
        "AOT cache (from one event)",
        "25",
        AWS_AOT,
        AWS_25,
        AWS_PLAIN_25,
        AWS_25,
        AWS_PLAIN_AOT);
    lever(out, "plain Lambda handler", "none", "17", AWS_PLAIN, null, AWS_PLAIN, null, null);
    lever(
        out,
        "plain Lambda handler",
        "AppCDS (from one event)",
        "17",
        AWS_PLAIN_CDS,
        AWS_PLAIN,
        AWS_PLAIN,
        null,
        null);
    lever(
        out,
        "plain Lambda handler",
        "none",
        "25",
        AWS_PLAIN_25,
        AWS_PLAIN,
        AWS_PLAIN_25,
        null,
        null);
    lever(
        out,
        "plain Lambda handler",
        "AOT cache (from one event)",
        "25",
        AWS_PLAIN_AOT,
        AWS_PLAIN_25,
        AWS_PLAIN_25,
        null,
        null);
    lever(out, "Azure (injector path)", "none", "17", AZURE, null, AZURE_PLAIN, AZURE, null);
  }

  private void lever(
      PrintStream out,
      String runtime,
      String lever,
      String jdk,
      String start,
      String base,
      String plain,
      String triadDefault,
      String plainSame) {
    String why =
        archiveFailures.containsKey(start) ? archiveFailures.get(start) : rounds.failure(start);
    if (rounds.samples(start).isEmpty()) {
      out.printf(
          "| %s | %s | %s | not measured: %s | | | | | |%n",
          runtime, lever, jdk, why == null ? "no JDK 25 here" : why);
      return;
    }
    out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %s | %s | %.0f |%n",
        runtime,
        lever,
        jdk,
        startCell(start),
        base == null ? "—" : ratio(start, base),
        triadDefault == null ? "—" : ratio(start, triadDefault),
        ratio(start, plain),
        plainSame == null ? "—" : ratio(start, plainSame),
        medianRssMib(start));
  }

  /** Rows a second with their share of raw ONNX Runtime batch throughput. */
  private String upload(Double rowsPerSecond) {
    if (rowsPerSecond == null || rowsPerSecond.isNaN()) {
      return "—";
    }
    return String.format(
        Locale.ROOT,
        "%,.0f (%.1f%%)",
        rowsPerSecond,
        100 * rowsPerSecond / core.upload().rawRowsPerSecond());
  }

  private String awsTarget() {
    double ratio = ratioValue(AWS, AWS_PLAIN);
    String cds =
        rounds.samples(AWS_CDS).isEmpty() || rounds.samples(AWS_PLAIN_CDS).isEmpty()
            ? "not measured"
            : String.format(
                Locale.ROOT,
                "%.2f, %s",
                ratioValue(AWS_CDS, AWS_PLAIN_CDS),
                met(ratioValue(AWS_CDS, AWS_PLAIN_CDS) <= 2));
    return String.format(
        Locale.ROOT,
        "cold ≤ 2× plain: %.2f, %s; with AppCDS on both: %s; peak RSS in 512 MB: %s; "
            + "zip ≤ 50 MiB and ≤ 250 MiB unzipped: %s",
        ratio,
        met(ratio <= 2),
        cds,
        met(medianRssMib(AWS) < 512),
        met(lambdaFits()));
  }

  private String addedTarget(String start, String plain, String model) {
    Percentiles triad = warm(start, model);
    Percentiles base = warm(plain, model);
    if (triad == null || base == null) {
      return "—";
    }
    double added = triad.p50Us() - base.p50Us();
    return String.format(
        Locale.ROOT,
        "≤ 50 µs added at p50 over the plain server: %s (%.1f)",
        met(added <= 50),
        added);
  }

  private String lambdaPackage() throws IOException {
    return String.format(
        Locale.ROOT,
        "zip %.1f MiB, unzipped %.1f MiB",
        mib(Files.size(settings.lambdaZip())),
        mib(unzipped(settings.lambdaZip())));
  }

  private boolean lambdaFits() {
    try {
      return Files.size(settings.lambdaZip()) <= 50 * MIB
          && unzipped(settings.lambdaZip()) <= 250 * MIB;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String azurePackage() throws IOException {
    return String.format(
        Locale.ROOT,
        "staging folder %.1f MiB, zip %.1f MiB",
        mib(treeSize(settings.azureStaging())),
        mib(Files.size(settings.azureZip())));
  }

  private String gcpPackage() throws IOException {
    return String.format(
        Locale.ROOT,
        "deploy jar %.1f MiB, source zip %.1f MiB",
        mib(Files.size(settings.gcpDeployJar())),
        mib(Files.size(settings.gcpSourceZip())));
  }

  private static long unzipped(Path zip) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      return z.stream().mapToLong(e -> Math.max(e.getSize(), 0)).sum();
    }
  }

  private static long treeSize(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private String startCell(String start) {
    List<Long> runs = rounds.samples(start).stream().map(Sample::firstAnswerMs).toList();
    return medianStart(start)
        + " ("
        + String.join(", ", runs.stream().map(String::valueOf).toList())
        + ")";
  }

  private long medianStart(String start) {
    return Math.round(median(rounds.samples(start), s -> s.firstAnswerMs()));
  }

  private String ratio(String start, String baseline) {
    return rounds.samples(baseline).isEmpty()
        ? "—"
        : String.format(Locale.ROOT, "%.2f", ratioValue(start, baseline));
  }

  private double ratioValue(String start, String baseline) {
    return (double) medianStart(start) / medianStart(baseline);
  }

  private double medianRssMib(String start) {
    return median(rounds.samples(start), s -> s.peakRssKib() / 1024.0);
  }

  /** The median over starts of each warm percentile, or null when the start measured none. */
  private Percentiles warm(String start, String model) {
    List<Percentiles> warm =
        rounds.samples(start).stream()
            .map(s -> s.warm().get(model))
            .filter(p -> p != null)
            .toList();
    if (warm.isEmpty()) {
      return null;
    }
    return new Percentiles(median(warm, Percentiles::p50Us), median(warm, Percentiles::p99Us));
  }

  private static <T> double median(List<T> values, ToDoubleFunction<T> value) {
    double[] sorted = values.stream().mapToDouble(value).sorted().toArray();
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }

  private static double mib(long bytes) {
    return bytes / MIB;
  }

  private static String fmt(double micros) {
    return String.format(Locale.ROOT, micros >= 100 ? "%.0f" : "%.1f", micros);
  }

  private static String met(boolean met) {
    return met ? "**met**" : "**not met**";
  }
}
