package io.triad.bench;

import static io.triad.bench.LocalStarts.Layout.BUILT;
import static io.triad.bench.LocalStarts.Layout.EXTRACTED;
import static io.triad.bench.LocalStarts.Layout.JAR;
import static io.triad.bench.LocalStarts.Layout.SPRING_APPLICATION;

import io.triad.azure.AzureStarts;
import io.triad.bench.AllRuntimesBenchmark.Settings;
import io.triad.bench.HttpStart.Post;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every start of the run, in the order each round runs them (each baseline just before the Triad
 * start it is compared with), and the archives the lever starts need, written by one training start
 * each before the rounds begin.
 */
final class Lineup {
  static final String LOCAL_PLAIN = "plain HTTP server";
  static final String LOCAL = "local: the README's command (the build's app + CDS archive)";
  static final String LOCAL_JAR = "local: java -jar triad-local.jar";
  static final String LOCAL_PLAIN_MNIST = "plain HTTP server, MNIST first";
  static final String LOCAL_MNIST = "local: the README's command, MNIST first";
  static final String AWS_PLAIN = "plain Lambda handler";
  static final String AWS = "Lambda: HttpEntry";
  static final String AZURE_PLAIN = "plain Azure handler";
  static final String AZURE = "Azure: injector path";
  static final String GCP_PLAIN = "plain HttpFunction";
  static final String GCP = "GCP: HttpEntry";
  static final String GCP_DEFAULT_JVM = "GCP: HttpEntry, without the stack's JAVA_TOOL_OPTIONS";

  static final String LOCAL_EXTRACTED = "local: extracted jars";
  static final String LOCAL_CDS = "local: extracted + AppCDS (README)";
  static final String LOCAL_CDS_SERVED = "local: extracted + AppCDS trained by a request";
  static final String LOCAL_C1 = "local: java -jar, C1 only";
  static final String LOCAL_BOOT = "local: extracted, through SpringApplication (as before)";
  static final String LOCAL_PLAIN_CDS = "plain HTTP server + AppCDS";
  static final String LOCAL_PLAIN_25 = "plain HTTP server, JDK 25";
  static final String LOCAL_25 = "local: java -jar, JDK 25";
  static final String LOCAL_PLAIN_AOT = "plain HTTP server, JDK 25 + AOT cache";
  static final String LOCAL_EXTRACTED_25 = "local: extracted, JDK 25";
  static final String LOCAL_AOT = "local: extracted, JDK 25 + AOT cache (README)";
  static final String LOCAL_AOT_SERVED =
      "local: extracted, JDK 25 + AOT cache trained by a request";
  static final String AWS_PLAIN_CDS = "plain Lambda handler + AppCDS";
  static final String AWS_CDS = "Lambda: HttpEntry + AppCDS";
  static final String AWS_EVERY = "Lambda: every auto-configuration";
  static final String AWS_PREFETCH = "Lambda: HttpEntry, start prefetch on";
  static final String AWS_C2 = "Lambda: HttpEntry, full JIT (no C1-only options)";
  static final String AWS_BOOT = "Lambda: HttpEntry through SpringApplication (as before)";
  static final String AWS_PLAIN_25 = "plain Lambda handler, JDK 25";
  static final String AWS_25 = "Lambda: HttpEntry, JDK 25";
  static final String AWS_PLAIN_AOT = "plain Lambda handler, JDK 25 + AOT cache";
  static final String AWS_AOT = "Lambda: HttpEntry, JDK 25 + AOT cache";

  private final List<ColdStart> starts = new ArrayList<>();
  private final Map<String, ColdStart> trainings = new LinkedHashMap<>();
  private final Map<String, Path> archives = new LinkedHashMap<>();
  private final Map<String, String> archiveFailures = new LinkedHashMap<>();

  Lineup(
      Settings settings,
      LocalStarts local,
      LambdaStarts lambda,
      AzureStarts azure,
      String azureClassPath,
      List<ColdStart> gcp,
      Requests requests,
      Path work)
      throws Exception {
    Path java = ChildJvm.java();
    Path archives = Files.createDirectories(work.resolve("archives"));
    // the main table: each runtime after its plain baseline
    starts.add(local.plain(LOCAL_PLAIN, java, List.of(), requests.iris(), true));
    starts.add(local.triad(LOCAL, java, BUILT, List.of(), requests.iris(), true));
    starts.add(local.plain(LOCAL_PLAIN_MNIST, java, List.of(), requests.mnist(), false));
    starts.add(local.triad(LOCAL_MNIST, java, BUILT, List.of(), requests.mnist(), false));
    starts.add(lambda.plain(AWS_PLAIN, java, List.of(), true));
    starts.add(lambda.triad(AWS, java, List.of(), true));
    starts.add(azure.start(AZURE_PLAIN, "plain", azureClassPath, work));
    starts.add(azure.start(AZURE, "injector", azureClassPath, work));
    starts.addAll(gcp);
    // the levers
    localLevers(local, java, requests.iris(), archives);
    lambdaLevers(lambda, java, archives);
    if (settings.hasJdk25()) {
      jdk25Levers(local, lambda, settings.jdk25(), requests.iris(), archives);
    }
  }

  private void localLevers(LocalStarts local, Path java, Post iris, Path archives) {
    starts.add(local.triad(LOCAL_JAR, java, JAR, List.of(), iris, false));
    starts.add(local.triad(LOCAL_EXTRACTED, java, EXTRACTED, List.of(), iris, false));
    Path localJsa = archives.resolve("local.jsa");
    train(
        LOCAL_CDS,
        localJsa,
        local.trainingToRefresh("training " + LOCAL_CDS, java, dump(localJsa)));
    starts.add(local.triad(LOCAL_CDS, java, EXTRACTED, use(localJsa), iris, false));
    Path servedJsa = archives.resolve("local-served.jsa");
    train(
        LOCAL_CDS_SERVED,
        servedJsa,
        local.triad("training " + LOCAL_CDS_SERVED, java, EXTRACTED, dump(servedJsa), iris, false));
    starts.add(local.triad(LOCAL_CDS_SERVED, java, EXTRACTED, use(servedJsa), iris, false));
    Path plainJsa = archives.resolve("plain-server.jsa");
    train(
        LOCAL_PLAIN_CDS,
        plainJsa,
        local.plain("training " + LOCAL_PLAIN_CDS, java, dump(plainJsa), iris, false));
    starts.add(local.plain(LOCAL_PLAIN_CDS, java, use(plainJsa), iris, false));
    starts.add(local.triad(LOCAL_C1, java, JAR, List.of("-XX:TieredStopAtLevel=1"), iris, false));
    starts.add(local.triad(LOCAL_BOOT, java, SPRING_APPLICATION, List.of(), iris, false));
  }

  private void lambdaLevers(LambdaStarts lambda, Path java, Path archives) {
    starts.add(
        lambda.triad(
            AWS_PREFETCH,
            java,
            List.of(),
            Map.of(io.triad.settings.AwsContract.START_PREFETCH, "on"),
            false));
    // the stack's C1-only options left out: C2 too, as the JVM's default
    starts.add(
        lambda.triad(
            AWS_C2,
            java,
            List.of(),
            Map.of(io.triad.settings.AwsContract.JAVA_TOOL_OPTIONS, ""),
            true));
    // the context started through Spring Boot's SpringApplication, as before TriadContext
    starts.add(lambda.throughSpringApplication(AWS_BOOT, java, Map.of(), false));
    Path lambdaPlainJsa = archives.resolve("lambda-plain.jsa");
    train(
        AWS_PLAIN_CDS,
        lambdaPlainJsa,
        lambda.plain("training " + AWS_PLAIN_CDS, java, dump(lambdaPlainJsa), false));
    starts.add(lambda.plain(AWS_PLAIN_CDS, java, use(lambdaPlainJsa), false));
    Path lambdaJsa = archives.resolve("lambda.jsa");
    train(AWS_CDS, lambdaJsa, lambda.triad("training " + AWS_CDS, java, dump(lambdaJsa), false));
    starts.add(lambda.triad(AWS_CDS, java, use(lambdaJsa), false));
    starts.add(
        lambda.throughSpringApplication(
            AWS_EVERY, java, LambdaStarts.everyAutoConfiguration(), false));
  }

  private void jdk25Levers(
      LocalStarts local, LambdaStarts lambda, Path jdk25, Post iris, Path archives) {
    starts.add(local.plain(LOCAL_PLAIN_25, jdk25, List.of(), iris, false));
    starts.add(local.triad(LOCAL_25, jdk25, JAR, List.of(), iris, false));
    Path plainAot = archives.resolve("plain-server.aot");
    train(
        LOCAL_PLAIN_AOT,
        plainAot,
        local.plain("training " + LOCAL_PLAIN_AOT, jdk25, record(plainAot), iris, false));
    starts.add(local.plain(LOCAL_PLAIN_AOT, jdk25, replay(plainAot), iris, false));
    starts.add(local.triad(LOCAL_EXTRACTED_25, jdk25, EXTRACTED, List.of(), iris, false));
    Path localAot = archives.resolve("local.aot");
    train(
        LOCAL_AOT,
        localAot,
        local.trainingToRefresh("training " + LOCAL_AOT, jdk25, record(localAot)));
    starts.add(local.triad(LOCAL_AOT, jdk25, EXTRACTED, replay(localAot), iris, false));
    Path servedAot = archives.resolve("local-served.aot");
    train(
        LOCAL_AOT_SERVED,
        servedAot,
        local.triad(
            "training " + LOCAL_AOT_SERVED, jdk25, EXTRACTED, record(servedAot), iris, false));
    starts.add(local.triad(LOCAL_AOT_SERVED, jdk25, EXTRACTED, replay(servedAot), iris, false));
    starts.add(lambda.plain(AWS_PLAIN_25, jdk25, List.of(), false));
    starts.add(lambda.triad(AWS_25, jdk25, List.of(), false));
    Path lambdaPlainAot = archives.resolve("lambda-plain.aot");
    train(
        AWS_PLAIN_AOT,
        lambdaPlainAot,
        lambda.plain("training " + AWS_PLAIN_AOT, jdk25, record(lambdaPlainAot), false));
    starts.add(lambda.plain(AWS_PLAIN_AOT, jdk25, replay(lambdaPlainAot), false));
    Path lambdaAot = archives.resolve("lambda.aot");
    train(AWS_AOT, lambdaAot, lambda.triad("training " + AWS_AOT, jdk25, record(lambdaAot), false));
    starts.add(lambda.triad(AWS_AOT, jdk25, replay(lambdaAot), false));
  }

  /** JDK 17's dynamic AppCDS archive, written when the training start's JVM exits. */
  private static List<String> dump(Path archive) {
    return List.of("-XX:ArchiveClassesAtExit=" + archive);
  }

  private static List<String> use(Path archive) {
    return List.of("-XX:SharedArchiveFile=" + archive);
  }

  /**
   * JDK 25's one-step AOT cache (JEP 514): recorded by the training start, assembled as its JVM
   * exits.
   */
  private static List<String> record(Path cache) {
    return List.of("-XX:AOTCacheOutput=" + cache);
  }

  private static List<String> replay(Path cache) {
    return List.of("-XX:AOTCache=" + cache);
  }

  private void train(String lever, Path archive, ColdStart training) {
    trainings.put(lever, training);
    archives.put(lever, archive);
  }

  /** Runs each training start once; a lever whose archive was not written is reported, not run. */
  void trainArchives() {
    for (Map.Entry<String, ColdStart> training : trainings.entrySet()) {
      Path archive = archives.get(training.getKey());
      long t0 = System.nanoTime();
      try {
        training.getValue().start();
        if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
          throw new IllegalStateException("the training start wrote no " + archive.getFileName());
        }
        System.out.printf(
            "trained %s: %s, %.1f MiB, %.1f s%n",
            training.getKey(),
            archive.getFileName(),
            Files.size(archive) / 1048576.0,
            (System.nanoTime() - t0) / 1e9);
      } catch (Exception e) {
        archiveFailures.put(
            training.getKey(),
            String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
        System.out.printf("training %s FAILED: %s%n", training.getKey(), e);
      }
    }
    starts.removeIf(start -> archiveFailures.containsKey(start.name()));
  }

  List<ColdStart> starts() {
    return List.copyOf(starts);
  }

  Map<String, String> archiveFailures() {
    return archiveFailures;
  }
}
