package io.triad.contract;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainer image as the batch doubles run it: what {@code models/Dockerfile} makes ({@code
 * ENTRYPOINT java -Dai.djl.offline=true -cp /opt/triad/lib/* io.triad.models.TrainerMain}, with
 * {@code ORT_DISABLE_TELEMETRY=1} in its environment), made of this JVM's java and class path,
 * which holds models and the three adapters' store providers as the image's lib folder does. A
 * "container" is a child JVM with its output in {@code logs/{job}.log}.
 */
final class TrainerImage {
  static final String TRAINER = "io.triad.models.TrainerMain";

  /** The image's own environment (its Dockerfile's ENV). */
  private static final Map<String, String> IMAGE_ENV = Map.of("ORT_DISABLE_TELEMETRY", "1");

  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final Path arguments;
  private final Path logs;

  TrainerImage(Path work) throws IOException {
    Files.createDirectories(work);
    this.logs = Files.createDirectories(work.resolve("logs"));
    // an argument file keeps the class path off the command line (and out of Azure's task command
    // line)
    this.arguments = work.resolve("trainer-jvm.args");
    String classpath = System.getProperty("java.class.path");
    if (!classpath.contains("triad-models")
        && !classpath.contains("models" + File.separator + "target")) {
      throw new IllegalStateException(
          "the test class path has no trainer (triad-models): " + classpath);
    }
    // a trainer's cloud calls are recorded where the test JVM's are (the permission checks)
    String calls = System.getProperty("triad.cloud-calls");
    Files.writeString(
        arguments,
        "-Dai.djl.offline=true\n"
            + (calls == null ? "" : "\"-Dtriad.cloud-calls=" + calls.replace("\\", "\\\\") + "\"\n")
            + "-cp\n\""
            + classpath.replace("\\", "\\\\")
            + "\"\n",
        StandardCharsets.UTF_8);
  }

  /** The image's entrypoint: a container's command (its arguments) is appended to it. */
  List<String> entrypoint() {
    return List.of(java.toString(), "@" + arguments, TRAINER);
  }

  /**
   * The entrypoint as one shell command, for a batch service whose task command line names the
   * trainer itself.
   */
  String shellCommand() {
    return "'" + java + "' '@" + arguments + "' " + TRAINER;
  }

  /**
   * Runs {@code command} in a "container" of this image: the image's environment, then {@code
   * environment} (the job's and the host's). {@code trainerArguments} are what the job hands the
   * trainer, recorded with the run.
   */
  TrainingRun run(
      String jobId,
      List<String> command,
      List<String> trainerArguments,
      Map<String, String> environment) {
    Path log = logs.resolve(jobId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(IMAGE_ENV);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      return new TrainingRun(
          jobId, trainerArguments, log, process, process.onExit().thenApply(Process::exitValue));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start the trainer for job " + jobId + ": " + e.getMessage(), e);
    }
  }
}
