package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's start command, run as written from the repository's root: the extracted jars and the
 * class-data sharing archive this build prepared ({@code target/app}, recorded by a start that
 * exits once its context is up), given by relative paths. It checks that the runtime's own classes
 * come out of the archive, not the jars; how much faster that is, is the benchmark's business
 * (docs/benchmarks.md), not a test's. Then the README's recipe for an archive of one's own (another
 * JDK, other options): extract, record, start on it.
 */
class ClassDataSharingIT {
  private static final Path JAR =
      Path.of(System.getProperty("triad.local.jar", "target/triad-local.jar")).toAbsolutePath();

  @TempDir Path home;

  @Test
  void readmeCommand_should_serveFromTheBuildsArchive() throws Exception {
    // given the repository's root, and the README's paths relative to it
    Path root = JAR.getParent().getParent().getParent().getParent();
    Path app = root.relativize(JAR.resolveSibling("app"));
    assertThat(root.resolve(app).resolve("triad-local.jsa")).isNotEmptyFile();

    // when the runtime starts as the README's main command starts it, then its classes were
    // mapped from the archive
    assertServedFromArchive(
        root, app.resolve("triad-local.jsa"), app.resolve("triad-local.jar"), "readme.log");
  }

  /** Starts the runtime on {@code archive} from {@code directory}; its own classes come from it. */
  private void assertServedFromArchive(Path directory, Path archive, Path jar, String logName)
      throws Exception {
    int port = freePort();
    Path log = home.resolve(logName);
    Process served =
        java(
            directory,
            List.of(
                "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info",
                "-jar",
                jar.toString(),
                "--triad.local.bucket=" + home.resolve("bucket"),
                "--triad.local.port=" + port,
                "--triad.local.bootstrap="),
            log);
    try {
      awaitLive(served, port, log);
    } finally {
      served.destroy();
      served.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(log))
        .contains("io.triad.local.LocalApplication source: shared objects file (top)")
        .contains("io.triad.functions.TriadFunctions source: shared objects file (top)");
  }

  @Test
  void readmeRecipe_should_serveFromTheArchive_when_theArchiveWasWrittenByAStartToRefresh()
      throws Exception {
    // given the jar extracted as the README extracts it
    Path app = home.resolve("app");
    run(
        List.of(
            "-Djarmode=tools",
            "-jar",
            JAR.toString(),
            "extract",
            "--force",
            "--destination",
            app.toString()),
        "extract");
    Path archive = app.resolve("triad-local.jsa");
    Path runtime = app.resolve(JAR.getFileName());

    // when a start that exits once its context is up writes the archive, and the runtime starts on
    // it
    run(
        List.of(
            "-XX:ArchiveClassesAtExit=" + archive,
            "-Dspring.context.exit=onRefresh",
            "-jar",
            runtime.toString(),
            "--triad.local.bucket=" + home.resolve("bucket"),
            "--triad.local.bootstrap="),
        "training");

    // then the archive exists and the runtime started on it maps its classes from it
    assertThat(archive).isNotEmptyFile();
    assertServedFromArchive(home, archive, runtime, "served.log");
  }

  private void run(List<String> arguments, String what) throws Exception {
    Path log = home.resolve(what + ".log");
    Process process = java(home, arguments, log);
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("%s finished", what).isTrue();
    assertThat(process.exitValue())
        .as("%s exit code; log:%n%s", what, Files.readString(log))
        .isZero();
  }

  private Process java(Path directory, List<String> arguments, Path log) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // ONNX Runtime's telemetry crashes the JVM on long command lines; off before the child starts
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    return builder.start();
  }

  private static void awaitLive(Process process, int port, Path log) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest live =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/live")).build();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      assertThat(process.isAlive())
          .as("the runtime is running; log:%n%s", Files.readString(log))
          .isTrue();
      try {
        if (client.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError(
        "the runtime did not answer within 2 minutes; log:\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
