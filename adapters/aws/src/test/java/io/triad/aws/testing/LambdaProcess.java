package io.triad.aws.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function running the way Lambda's java21 runtime runs it: the deployment package unpacked as
 * the task root, on the classpath with the runtime's own jars (the RIC and its libraries), started
 * by the RIC's main against a Runtime API. A child JVM; closing it ends it.
 */
public final class LambdaProcess implements AutoCloseable {
  public static final String RIC_MAIN =
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  private final Process process;
  private final Path log;

  private LambdaProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Unpacks {@code zip} into {@code taskRoot} (replacing what was there), as Lambda does at deploy.
   */
  public static Path unpack(Path zip, Path taskRoot) throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          "no Lambda package at " + zip + "; it is built in the package phase");
    }
    if (Files.exists(taskRoot)) {
      try (var walk = Files.walk(taskRoot)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path target = taskRoot.resolve(entry.getName()).normalize();
        if (!target.startsWith(taskRoot)) {
          throw new IOException("zip entry outside the task root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return taskRoot;
  }

  /**
   * The runtime's classpath entries, from the file the build writes (dependency:build-classpath).
   */
  public static String runtimeClasspath() throws IOException {
    return Files.readString(
            Path.of(
                System.getProperty(
                    "triad.lambda.runtime.classpath", "target/lambda-runtime.classpath")))
        .trim();
  }

  /**
   * Starts {@code handler} from {@code taskRoot} (or any classpath) against {@code runtimeApi}.
   *
   * @param jvmOptions extra JVM options (e.g. -Xshare:off)
   * @param env the function's environment variables
   */
  public static LambdaProcess start(
      String classpath,
      String handler,
      String runtimeApi,
      Path taskRoot,
      List<String> jvmOptions,
      Map<String, String> env,
      Path log)
      throws IOException {
    return launch(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        classpath,
        handler,
        runtimeApi,
        taskRoot,
        null,
        jvmOptions,
        env,
        log);
  }

  /**
   * Starts {@code handler} the way Lambda's managed Java runtime does: the JVM's class path holds
   * the runtime's own jars only ({@link #runtimeClasspath}); the RIC loads the function with a
   * class loader of its own from its working directory ({@code /var/task} on Lambda, {@code
   * taskRoot} here) and that directory's {@code lib/*.jar}. With no directory on the JVM's class
   * path, a CDS archive or an AOT cache can be written and used.
   *
   * @param java the {@code java} executable (the runtime's JDK)
   */
  public static LambdaProcess startAsManagedRuntime(
      Path java,
      String handler,
      String runtimeApi,
      Path taskRoot,
      List<String> jvmOptions,
      Map<String, String> env,
      Path log)
      throws IOException {
    return launch(
        java, runtimeClasspath(), handler, runtimeApi, taskRoot, taskRoot, jvmOptions, env, log);
  }

  private static LambdaProcess launch(
      Path java,
      String classpath,
      String handler,
      String runtimeApi,
      Path taskRoot,
      Path workingDir,
      List<String> jvmOptions,
      Map<String, String> env,
      Path log)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, RIC_MAIN, handler));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (workingDir != null) {
      builder.directory(workingDir.toFile());
    }
    Map<String, String> environment = builder.environment();
    environment.put(
        "ORT_DISABLE_TELEMETRY",
        "1"); // ONNX Runtime 1.29 crashes with telemetry on and a long command line
    environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    environment.put("_HANDLER", handler);
    environment.put("AWS_LAMBDA_FUNCTION_NAME", "triad-test");
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    environment.put("AWS_REGION", "us-east-1");
    environment.putAll(env);
    return new LambdaProcess(builder.start(), log);
  }

  /** The task root's classpath as Lambda builds it: the root, then every jar in lib/. */
  public static String packageClasspath(Path taskRoot) {
    return taskRoot + java.io.File.pathSeparator + taskRoot.resolve("lib") + "/*";
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The function's output so far (stdout and stderr), for failure messages. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Peak resident set size in KiB ({@code VmHWM}), or -1 where /proc does not say. */
  public long peakRssKib() {
    try (InputStream in =
        Files.newInputStream(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      for (String line : new String(in.readAllBytes()).split("\n")) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
