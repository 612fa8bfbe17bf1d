package io.triad.contract;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The trainer image as the batch doubles run it, read from {@code models/Dockerfile} itself: the
 * final stage's {@code ENTRYPOINT}, {@code CMD} and {@code ENV}. A "container" is a child process
 * composed as Docker composes one (the entrypoint, or the one a job overrides it with, then the
 * job's command, or the image's {@code CMD} when the job gives none) with its output in {@code
 * logs/{job}.log}.
 *
 * <p>What the image has and this machine lays out differently is stood in for, word by word and
 * nothing else: {@code java} is this JVM's java, and the image's class path {@value
 * #IMAGE_CLASSPATH} is the folder the image copies there, {@code models/image/target/trainer-lib}
 * ({@code triad.trainer.lib}), passed in an argument file, with two additions: the CPU libtorch
 * ({@code triad.cpu.libtorch}) for the image's CUDA one, whose variables ({@link #GPU_IMAGE_ONLY})
 * are left out, and one jar the tests write, holding only the Azure SDK pipeline policy that
 * records the trainer's Blob calls for the permission checks ({@code AzureCallRecorder}, with the
 * log it writes to).
 */
final class TrainerImage {
  static final String TRAINER = "io.triad.models.TrainerMain";

  /** Where {@code models/Dockerfile} puts the trainer's class path. */
  static final String IMAGE_CLASSPATH = "/opt/triad/lib/*";

  /** The image's variables that name what only the GPU image holds (its libtorch, its cache). */
  static final Set<String> GPU_IMAGE_ONLY =
      Set.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "DJL_CACHE_DIR");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final Path classpathArguments;
  private final Path logs;
  private final List<String> entrypoint;
  private final List<String> cmd;
  private final Map<String, String> environment;

  /** The image {@code models/Dockerfile} builds, under the repository root ({@code triad.root}). */
  TrainerImage(Path work) throws IOException {
    this(dockerfile(), work);
  }

  TrainerImage(Path dockerfile, Path work) throws IOException {
    Stage stage = Stage.last(Files.readAllLines(dockerfile, StandardCharsets.UTF_8));
    if (stage.entrypoint == null) {
      throw new IllegalStateException(dockerfile + " has no ENTRYPOINT in its final stage");
    }
    this.entrypoint = stage.entrypoint;
    this.cmd = stage.cmd;
    this.environment = new LinkedHashMap<>(stage.environment);
    environment.keySet().removeAll(GPU_IMAGE_ONLY);
    Files.createDirectories(work);
    this.logs = Files.createDirectories(work.resolve("logs"));
    Path lib = folder("triad.trainer.lib");
    Path cpuLibtorch = folder("triad.cpu.libtorch");
    try (java.util.stream.Stream<Path> jars = Files.list(lib)) {
      if (jars.noneMatch(jar -> jar.getFileName().toString().contains("triad-models-"))) {
        throw new IllegalStateException("the trainer's class path " + lib + " has no triad-models");
      }
    }
    Path recorder = CallRecorderJar.write(work.resolve("call-recorder.jar"));
    String classpath =
        String.join(
            File.pathSeparator,
            lib + File.separator + "*",
            cpuLibtorch + File.separator + "*",
            recorder.toString());
    // a trainer's cloud calls are recorded where the test JVM's are (the permission checks)
    String calls = System.getProperty("triad.cloud-calls");
    this.classpathArguments = work.resolve("trainer-classpath.args");
    Files.writeString(
        classpathArguments,
        (calls == null ? "" : quoted("-Dtriad.cloud-calls=" + calls) + "\n")
            + "-cp\n"
            + quoted(classpath)
            + "\n",
        StandardCharsets.UTF_8);
  }

  private static Path folder(String property) {
    String value = System.getProperty(property);
    if (value == null || !Files.isDirectory(Path.of(value))) {
      throw new IllegalStateException(
          property + " names no folder (" + value + "): build models/image first");
    }
    return Path.of(value);
  }

  private static Path dockerfile() {
    String root = System.getProperty("triad.root");
    if (root == null) {
      throw new IllegalStateException("triad.root (the repository root) is not set");
    }
    return Path.of(root, "models", "Dockerfile");
  }

  /** The image's {@code ENTRYPOINT}, as its Dockerfile says it. */
  List<String> entrypoint() {
    return entrypoint;
  }

  /**
   * The container's process as Docker composes it: {@code entrypointOverride} (null to keep the
   * image's) followed by {@code command}; an empty command takes the image's {@code CMD}, unless
   * the entrypoint was overridden, which drops it (as {@code docker run --entrypoint} does).
   */
  List<String> process(String entrypointOverride, List<String> command) {
    List<String> process =
        new ArrayList<>(entrypointOverride == null ? entrypoint : List.of(entrypointOverride));
    process.addAll(command.isEmpty() && entrypointOverride == null ? cmd : command);
    return process;
  }

  /**
   * Runs the container {@code entrypointOverride} and {@code command} make ({@link #process}) with
   * the image's environment, then {@code jobEnvironment} (the job's and the host's). The run
   * records the arguments the trainer was handed: the words after its class, or none when the
   * process does not start the trainer.
   */
  TrainingRun run(
      String jobId,
      String entrypointOverride,
      List<String> command,
      Map<String, String> jobEnvironment) {
    List<String> process = process(entrypointOverride, command);
    int trainer = process.indexOf(TRAINER);
    List<String> arguments =
        trainer < 0 ? List.of() : List.copyOf(process.subList(trainer + 1, process.size()));
    Path log = logs.resolve(jobId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(onThisMachine(process))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().putAll(jobEnvironment);
    try {
      Process started = builder.start();
      return new TrainingRun(
          jobId, arguments, log, started, started.onExit().thenApply(Process::exitValue));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start the container for job " + jobId + " (" + process + "): " + e.getMessage(),
          e);
    }
  }

  /** The stand-ins: {@code java} and the image's class path; every other word as it is. */
  private List<String> onThisMachine(List<String> process) {
    List<String> local = new ArrayList<>(process.size());
    for (int i = 0; i < process.size(); i++) {
      String word = process.get(i);
      if (i == 0 && word.equals("java")) {
        local.add(java.toString());
      } else if ((word.equals("-cp") || word.equals("-classpath"))
          && i + 1 < process.size()
          && process.get(i + 1).equals(IMAGE_CLASSPATH)) {
        local.add("@" + classpathArguments);
        i++;
      } else {
        local.add(word);
      }
    }
    return local;
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\") + "\"";
  }

  /** The instructions of one Dockerfile stage this double needs. */
  private static final class Stage {
    private List<String> entrypoint;
    private List<String> cmd = List.of();
    private final Map<String, String> environment = new LinkedHashMap<>();

    static Stage last(List<String> lines) {
      Stage stage = null;
      for (String instruction : instructions(lines)) {
        String[] parts = instruction.split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        String rest = parts.length > 1 ? parts[1].trim() : "";
        if (keyword.equals("FROM")) {
          stage = new Stage();
        } else if (stage != null && keyword.equals("ENTRYPOINT")) {
          stage.entrypoint = execForm(keyword, rest);
          // Docker resets CMD when ENTRYPOINT is set after it
          stage.cmd = List.of();
        } else if (stage != null && keyword.equals("CMD")) {
          stage.cmd = execForm(keyword, rest);
        } else if (stage != null && keyword.equals("ENV")) {
          stage.env(rest);
        }
      }
      if (stage == null) {
        throw new IllegalStateException("the Dockerfile has no FROM");
      }
      return stage;
    }

    /** Lines joined across trailing backslashes, comments and blank lines left out. */
    private static List<String> instructions(List<String> lines) {
      List<String> instructions = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : lines) {
        String trimmed = line.strip();
        if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
          continue;
        }
        if (trimmed.endsWith("\\")) {
          current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        } else {
          instructions.add(current.append(trimmed).toString());
          current.setLength(0);
        }
      }
      if (!current.isEmpty()) {
        instructions.add(current.toString());
      }
      return instructions;
    }

    /**
     * Only the exec (JSON) form: the shell form would run under {@code /bin/sh -c} and ignore a
     * job's command, which is not how the trainer is started.
     */
    private static List<String> execForm(String keyword, String value) {
      if (!value.startsWith("[")) {
        throw new IllegalStateException(
            keyword
                + " must be in exec form (a JSON array) for a job's command to reach it: "
                + value);
      }
      try {
        return List.copyOf(JSON.readValue(value, new TypeReference<List<String>>() {}));
      } catch (IOException e) {
        throw new IllegalStateException(keyword + " is not a JSON array of strings: " + value, e);
      }
    }

    /** {@code ENV K=V K2=V2} (or the legacy {@code ENV K V}); values may be double-quoted. */
    private void env(String rest) {
      if (!rest.contains("=")) {
        String[] pair = rest.split("\\s+", 2);
        environment.put(pair[0], pair.length > 1 ? pair[1] : "");
        return;
      }
      for (String word : FakeAzureBatch.words(rest)) {
        int equals = word.indexOf('=');
        if (equals <= 0) {
          throw new IllegalStateException("cannot read ENV " + rest);
        }
        environment.put(word.substring(0, equals), word.substring(equals + 1));
      }
    }
  }
}
