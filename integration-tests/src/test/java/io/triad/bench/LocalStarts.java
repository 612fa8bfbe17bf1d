package io.triad.bench;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.bench.HttpStart.Post;
import io.triad.bench.levers.LocalThroughSpringApplication;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local runtime and its plain baseline, as child JVMs over one directory bucket that already
 * serves iris and MNIST: {@code java -jar triad-local.jar} as the README runs it, the same jar
 * extracted by Spring Boot's {@code -Djarmode=tools extract} (a class path of plain jars, which a
 * CDS archive or an AOT cache needs), and {@link PlainOnnxServer} from plain jars.
 */
final class LocalStarts {
  private static final String LOCAL_MAIN = "io.triad.local.LocalApplication";
  private final Path localJar;
  private final Path extracted;
  private final Path bucket;
  private final Path work;
  private final String plainClassPath;
  private final Map<String, Path> models;
  private final Requests requests;
  private final int warmCalls;

  private LocalStarts(
      Path localJar,
      Path extracted,
      Path bucket,
      Path work,
      String plainClassPath,
      Map<String, Path> models,
      Requests requests,
      int warmCalls) {
    this.localJar = localJar;
    this.extracted = extracted;
    this.bucket = bucket;
    this.work = work;
    this.plainClassPath = plainClassPath;
    this.models = models;
    this.requests = requests;
    this.warmCalls = warmCalls;
  }

  /** Extracts the jar (once, with the harness's JDK) and writes the plain server's jar. */
  static LocalStarts prepare(
      Path localJar,
      Path bucket,
      Map<String, Path> models,
      Requests requests,
      Path work,
      int warmCalls)
      throws Exception {
    Path extracted = work.resolve("local-extracted");
    PipelineBenchmark.deleteTree(extracted);
    Process extract =
        new ProcessBuilder(
                ChildJvm.java().toString(),
                "-Djarmode=tools",
                "-jar",
                localJar.toString(),
                "extract",
                "--destination",
                extracted.toString())
            .inheritIO()
            .start();
    if (!extract.waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0) {
      throw new IllegalStateException("could not extract " + localJar);
    }
    String plain =
        String.join(
            File.pathSeparator,
            List.of(
                BenchJars.jar(work.resolve("jars/plain-server.jar"), PlainOnnxServer.class)
                    .toString(),
                BenchJars.location(OrtEnvironment.class).toString(),
                BenchJars.location(ObjectMapper.class).toString(),
                BenchJars.location(JsonParser.class).toString(),
                BenchJars.location(JsonProperty.class).toString()));
    BenchJars.jar(work.resolve("jars/spring-application.jar"), LocalThroughSpringApplication.class);
    return new LocalStarts(localJar, extracted, bucket, work, plain, models, requests, warmCalls);
  }

  /**
   * How the runtime is launched: the jar as built, the extracted jars, or the extracted jars
   * started through {@code SpringApplication} as before {@code TriadContext}.
   */
  enum Layout {
    /** What the README's main command runs: the build's extracted jars on its CDS archive. */
    BUILT,
    JAR,
    EXTRACTED,
    SPRING_APPLICATION
  }

  ColdStart triad(
      String name, Path java, Layout layout, List<String> jvmOptions, Post first, boolean warm) {
    return new HttpStart(
        name,
        port -> {
          List<String> command = new ArrayList<>(List.of(java.toString()));
          command.addAll(jvmOptions);
          switch (layout) {
            case BUILT ->
                command.addAll(
                    List.of(
                        "-XX:SharedArchiveFile="
                            + localJar.resolveSibling("app").resolve("triad-local.jsa"),
                        "-jar",
                        localJar.resolveSibling("app").resolve(localJar.getFileName()).toString()));
            case JAR -> command.addAll(List.of("-jar", localJar.toString()));
            case EXTRACTED ->
                command.addAll(
                    List.of("-jar", extracted.resolve(localJar.getFileName()).toString()));
            case SPRING_APPLICATION ->
                command.addAll(
                    List.of(
                        "-cp",
                        extractedWith("spring-application.jar"),
                        LocalThroughSpringApplication.class.getName()));
          }
          command.addAll(
              List.of(
                  "--triad.local.bucket=" + bucket,
                  "--triad.local.port=" + port,
                  "--triad.local.bootstrap=",
                  "--triad.models.iris.schedule=",
                  "--triad.models.mnist.schedule="));
          return command;
        },
        work,
        Map.of(),
        first,
        warm ? warmRequests() : Map.of(),
        warmCalls,
        warm
            ? new HttpStart.Upload(bucket, PipelineBenchmark.bigCsv(), PipelineBenchmark.ROWS, 3)
            : null);
  }

  /**
   * The README's training start: the extracted runtime with {@code options} (an archive to write)
   * and {@code spring.context.exit=onRefresh}, so it exits once its context is up; nothing is
   * served.
   */
  ColdStart trainingToRefresh(String name, Path java, List<String> options) {
    return ColdStart.of(
        name,
        () -> {
          List<String> command = new ArrayList<>(List.of(java.toString()));
          command.addAll(options);
          command.addAll(
              List.of(
                  "-Dspring.context.exit=onRefresh",
                  "-jar",
                  extracted.resolve(localJar.getFileName()).toString(),
                  "--triad.local.bucket=" + bucket,
                  "--triad.local.port=" + HttpStart.freePort(),
                  "--triad.local.bootstrap="));
          Path log = work.resolve(name.replaceAll("\\W+", "-") + ".log");
          long t0 = System.nanoTime();
          Process process = ChildJvm.builder(command, work, Map.of(), log).start();
          if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not exit:\n" + ChildJvm.tail(log));
          }
          return Sample.of((System.nanoTime() - t0) / 1_000_000, Map.of(), -1);
        });
  }

  ColdStart plain(String name, Path java, List<String> jvmOptions, Post first, boolean warm) {
    return new HttpStart(
        name,
        port -> {
          List<String> command = new ArrayList<>(List.of(java.toString()));
          command.addAll(jvmOptions);
          command.addAll(
              List.of(
                  "-cp", plainClassPath, PlainOnnxServer.class.getName(), Integer.toString(port)));
          models.forEach((model, file) -> command.add(model + "=" + file));
          return command;
        },
        work,
        Map.of(),
        first,
        warm ? warmRequests() : Map.of(),
        warmCalls,
        null);
  }

  private Map<String, Post> warmRequests() {
    Map<String, Post> warm = new java.util.LinkedHashMap<>();
    warm.put("iris", requests.iris());
    warm.put("mnist", requests.mnist());
    return warm;
  }

  /**
   * The extracted jar (its manifest names lib/) followed by one of the benchmark's main-class jars.
   */
  private String extractedWith(String benchJar) {
    return extracted.resolve(localJar.getFileName())
        + File.pathSeparator
        + work.resolve("jars").resolve(benchJar);
  }
}
