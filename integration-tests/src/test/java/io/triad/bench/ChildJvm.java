package io.triad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What every child JVM of the benchmark shares: which java, its environment, its peak RSS, how it
 * stops.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** The JDK the harness runs on. */
  public static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * A ProcessBuilder with ONNX Runtime's telemetry off (1.29 crashes on long command lines
   * otherwise).
   */
  public static ProcessBuilder builder(
      List<String> command, Path dir, Map<String, String> env, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    // packages are signed with the run's key (core runtime) or the tests' key (adapter fixtures)
    builder
        .environment()
        .put(
            io.triad.settings.TriadContract.SIGNING_TRUSTED_KEYS,
            BenchKeys.trustedKeys() + "," + io.triad.functions.testing.TestModels.TRUSTED_KEY);
    builder.environment().putAll(env);
    return builder;
  }

  /** VmHWM of a live process in KiB, -1 where /proc does not say. */
  public static long peakRssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException gone) {
      return -1;
    }
    return -1;
  }

  /**
   * SIGTERM, then waits up to {@code seconds} for the JVM to exit by itself (a run that writes a
   * CDS archive or AOT cache does so on the way out), then kills it.
   */
  public static void stop(Process process, int seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The same for a process this JVM did not start itself (it has only its id). */
  public static void stop(ProcessHandle process, int seconds) {
    process.destroy();
    try {
      process.onExit().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of a child's log, for a failure message. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
