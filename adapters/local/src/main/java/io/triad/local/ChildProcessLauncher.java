package io.triad.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobStore;
import io.triad.functions.training.TrainingJob;
import io.triad.functions.training.TrainingLaunchException;
import io.triad.functions.training.TrainingLauncher;
import io.triad.layout.BucketLayout;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trainer entrypoint ({@value #TRAINER}, the same one the cloud batch jobs run) as a child
 * JVM. Its output goes to a log file beside the bucket; its progress lines (epoch, step, loss, time
 * spent and left) also go to the runtime's console and to {@code progress.json} in the candidate
 * folder, where {@code GET /v2/models} reads them. A failed or timed-out job writes {@code
 * job-failed.json} there and never touches the served model.
 */
public final class ChildProcessLauncher implements TrainingLauncher {
  public static final String TRAINER = "io.triad.models.TrainerMain";

  /** How the trainer starts a progress line (models' TrainingProgress writes it). */
  private static final String PROGRESS = "trainer: epoch ";

  private static final Logger log = LoggerFactory.getLogger(ChildProcessLauncher.class);

  private final BlobStore store;
  private final Path logDir;
  private final List<String> jvmOptions;
  private final Duration timeout;
  private final ObjectMapper json;
  private final Consumer<String> console;

  public ChildProcessLauncher(
      BlobStore store,
      Path logDir,
      List<String> jvmOptions,
      Duration timeout,
      ObjectMapper json,
      Consumer<String> console) {
    this.store = store;
    this.console = console;
    this.json = json;
    this.logDir = logDir;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.timeout = timeout;
  }

  @Override
  public String cloud() {
    return CLOUD;
  }

  /** Placements name this machine {@code local/local/on-demand}. */
  public static final String CLOUD = "local";

  @Override
  public String launch(TrainingJob job) {
    if (job.placement() != null
        && (job.placement().spot() || !job.placement().region().equals(CLOUD))) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.UNAVAILABLE,
          "this machine is local/local/on-demand: it has no other region and no spot machines");
    }
    List<String> command = command(job);
    Path logFile = logDir.resolve(job.model() + "-" + job.version() + ".log");
    Process process;
    try {
      Files.createDirectories(logDir);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // ONNX Runtime 1.29's Linux telemetry crashes the JVM on long command lines (and phones home)
      builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
      process = builder.start();
    } catch (IOException e) {
      throw new TrainingLaunchException(
          TrainingLaunchException.Refusal.SERVICE,
          "cannot start the trainer: " + e.getMessage(),
          e);
    }
    String id = "local-" + process.pid();
    log.info(
        "training {} version {} as process {} (log: {})",
        job.model(),
        job.version(),
        process.pid(),
        logFile);
    Thread reader =
        new Thread(() -> follow(job, process, logFile), "triad-training-log-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    Thread watchdog =
        new Thread(
            () -> await(job, process, id, logFile, reader), "triad-training-" + process.pid());
    watchdog.setDaemon(true);
    watchdog.start();
    return id;
  }

  /**
   * Copies the child's output to its log file as it comes; a progress line also goes to the console
   * and to the candidate's {@code progress.json}.
   */
  private void follow(TrainingJob job, Process process, Path logFile) {
    try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        file.write(line);
        file.newLine();
        file.flush();
        if (line.startsWith(PROGRESS)) {
          progress(job, line.substring("trainer: ".length()));
        }
      }
    } catch (IOException e) {
      log.warn("reading the trainer's output for {}: {}", job.model(), e.getMessage());
    }
  }

  private void progress(TrainingJob job, String text) {
    console.accept("Training " + job.model() + " version " + job.version() + ": " + text);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("text", text);
    body.put("at", java.time.Instant.now().toString());
    try {
      store.put(job.candidatePrefix() + BucketLayout.PROGRESS_FILE, TriadJson.pretty(json, body));
    } catch (RuntimeException e) {
      // progress is for people; a store hiccup must not stop the log
      log.debug("writing progress for {}: {}", job.model(), e.getMessage());
    }
  }

  /**
   * The child's command line: this JVM's java, its classpath, the trainer and the job's arguments.
   */
  List<String> command(TrainingJob job) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.addAll(jvmOptions);
    String classpath = System.getProperty("java.class.path");
    if (isBootJar(classpath)) {
      command.addAll(
          List.of(
              "-Dloader.main=" + TRAINER,
              "-cp",
              classpath,
              "org.springframework.boot.loader.launch.PropertiesLauncher"));
    } else {
      command.addAll(List.of("-cp", classpath, TRAINER));
    }
    command.addAll(job.arguments());
    return command;
  }

  private static boolean isBootJar(String classpath) {
    return classpath.endsWith(".jar")
        && !classpath.contains(java.io.File.pathSeparator)
        && ChildProcessLauncher.class
            .getClassLoader()
            .getClass()
            .getName()
            .startsWith("org.springframework.boot.loader");
  }

  /** Waits for the job; the log is complete (its reader done) before a failure quotes its tail. */
  private void await(TrainingJob job, Process process, String id, Path logFile, Thread reader) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        reader.join(5_000);
        failed(job, id, "timed out after " + timeout, logFile);
        return;
      }
      reader.join(5_000);
      int exit = process.exitValue();
      if (exit != 0) {
        failed(job, id, "exited with code " + exit, logFile);
      } else {
        log.info(
            "training job {} for {} finished; the candidate goes to the gate", id, job.model());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void failed(TrainingJob job, String id, String why, Path logFile) {
    String tail = tail(logFile);
    log.error(
        "training job {} for {} {}; the served model is untouched. Last output:\n{}",
        id,
        job.model(),
        why,
        tail);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("job", id);
    body.put("error", why);
    body.put("log", logFile.toString());
    store.put(job.candidatePrefix() + BucketLayout.JOB_FAILED_FILE, TriadJson.pretty(json, body));
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
