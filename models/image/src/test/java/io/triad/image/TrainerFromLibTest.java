package io.triad.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer runs from the image's class path alone ({@code target/trainer-lib}, with the CPU
 * libtorch standing in for the image's CUDA one), as the image's ENTRYPOINT starts it, and the
 * three clouds' store providers load from it: what the GPU image runs, short of the GPU.
 */
class TrainerFromLibTest {
  private static final Path LIB = Path.of(System.getProperty("triad.trainer.lib"));
  private static final Path CPU_LIBTORCH = Path.of(System.getProperty("triad.cpu.libtorch"));

  @TempDir Path bucket;

  @Test
  void trainer_should_writeACandidate_when_runFromTheImagesClassPath() throws Exception {
    Path data = Files.createDirectories(bucket.resolve("data/iris")).resolve("train.csv");
    try (InputStream iris = irisCsv()) {
      Files.copy(iris, data);
    }
    Path log = bucket.resolveSibling(bucket.getFileName() + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                LIB
                    + File.separator
                    + "*"
                    + File.pathSeparator
                    + CPU_LIBTORCH
                    + File.separator
                    + "*",
                "io.triad.models.TrainerMain"));
    command.addAll(
        List.of(
            "--store", bucket.toUri().toString(),
            "--model", "iris",
            "--version", "smoke",
            "--data", "data/iris/train.csv",
            "--output", "candidates/iris/smoke/",
            "--epochs", "5",
            "--seed", "42"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    Process trainer = builder.start();

    boolean exited = trainer.waitFor(3, TimeUnit.MINUTES);
    if (!exited) {
      trainer.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(exited).as("the trainer finished:%n%s", output).isTrue();
    assertThat(trainer.exitValue()).as("the trainer's exit:%n%s", output).isZero();
    assertThat(bucket.resolve("candidates/iris/smoke/manifest.json")).exists();
    assertThat(bucket.resolve("candidates/iris/smoke/model.onnx")).exists();
  }

  @Test
  void storeProviders_should_loadFromTheImagesClassPath_forEveryCloud() throws Exception {
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(LIB)) {
      for (Path jar : files.sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
    }
    // only the folder's jars (the platform's classes as parent), as the image's JVM sees them
    try (URLClassLoader image =
        new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> provider = image.loadClass("io.triad.functions.store.BlobStoreProvider");
      List<String> schemes = new ArrayList<>();
      for (Object found : ServiceLoader.load(provider, image)) {
        schemes.add((String) provider.getMethod("scheme").invoke(found));
      }
      assertThat(schemes).containsExactlyInAnyOrder("s3", "azblob", "gs");
    }
  }

  private static InputStream irisCsv() throws IOException {
    try (URLClassLoader models =
        new URLClassLoader(
            new URL[] {modelsJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      InputStream in = models.getResourceAsStream("triad/datasets/iris.csv");
      assertThat(in).as("the iris data set in the trainer's jar").isNotNull();
      return new java.io.ByteArrayInputStream(in.readAllBytes());
    }
  }

  private static Path modelsJar() throws IOException {
    try (Stream<Path> files = Files.list(LIB)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("io.triad.triad-models-"))
          .findFirst()
          .orElseThrow();
    }
  }
}
