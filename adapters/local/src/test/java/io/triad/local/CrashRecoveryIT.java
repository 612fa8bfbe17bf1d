package io.triad.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 drill on the packaged runtime: it is killed (SIGKILL, no shutdown hook) while it
 * scores a large upload, more uploads land while it is down, and at the next start every upload
 * with no current output is scored exactly once, and what the killed run staged is removed.
 */
class CrashRecoveryIT {
  private static final Path JAR =
      Path.of(System.getProperty("triad.local.jar", "target/triad-local.jar"));
  private static final int BIG_ROWS = 600_000;

  @TempDir Path home;

  @Test
  void restart_should_scoreEveryUploadWithoutAnOutputOnce_when_theRuntimeWasKilled()
      throws Exception {
    // given a runtime serving iris
    Path bucket = home.resolve("bucket");
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    int port = freePort();
    Path firstLog = home.resolve("first.log");
    Process first = start(bucket, port, firstLog);
    boolean killedWhileScoring;
    LocalClient client = new LocalClient("http://127.0.0.1:" + port);
    try {
      LocalClient.await(
          "the runtime serves iris", () -> alive(first) && ready(client), Duration.ofSeconds(90));

      // when a large upload lands and the runtime is killed while it scores it
      Path incoming = Files.createDirectories(bucket.resolve("incoming/iris"));
      Files.writeString(incoming.resolve("big.csv"), TestModels.incomingCsv(BIG_ROWS, 7));
      Path scratch =
          Path.of(System.getProperty("java.io.tmpdir")).resolve("triad-scratch-" + first.pid());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!staging(scratch) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      killedWhileScoring = staging(scratch);
    } finally {
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    // and, while it is down, two uploads land, one upload's output is older than the upload (it
    // changed after it was scored), and a killed run's scratch folder and staged write are left
    Path incoming = bucket.resolve("incoming/iris");
    Files.writeString(incoming.resolve("a.csv"), TestModels.incomingCsv(5, 1));
    Files.writeString(
        incoming.resolve("b.jsonl"),
        "{\"sepal_length\":5.1,\"sepal_width\":3.5,"
            + "\"petal_length\":1.4,\"petal_width\":0.2}\n");
    Files.writeString(incoming.resolve("changed.csv"), TestModels.incomingCsv(4, 2));
    Path stale =
        Files.createDirectories(bucket.resolve("predictions/iris")).resolve("changed.csv.jsonl");
    Files.writeString(stale, "{\"stale\":true}\n");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
    Path deadScratch =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir")).resolve("triad-scratch-999999999"));
    Files.writeString(deadScratch.resolve("predictions-1.jsonl"), "half");
    Path staged = Files.writeString(bucket.resolve(".triad-tmp/put-123.part"), "half an object");
    Files.setLastModifiedTime(staged, FileTime.from(Instant.now().minusSeconds(3600)));

    // when it starts again
    Path secondLog = home.resolve("second.log");
    Process second = start(bucket, port, secondLog);
    try {
      LocalClient.await(
          "every upload has its output",
          () ->
              lines(bucket.resolve("predictions/iris/big.csv.jsonl")) == BIG_ROWS
                  && lines(bucket.resolve("predictions/iris/a.csv.jsonl")) == 5
                  && lines(bucket.resolve("predictions/iris/b.jsonl.jsonl")) == 1
                  && lines(bucket.resolve("predictions/iris/changed.csv.jsonl")) == 4,
          Duration.ofSeconds(120));
      Thread.sleep(1500);

      // then each was scored exactly once by the second run, the stale output replaced
      String console = Files.readString(secondLog, UTF_8);
      for (String name : List.of("a.csv", "b.jsonl", "changed.csv")) {
        assertThat(console.lines().filter(l -> l.startsWith("incoming/iris/" + name + " ->")))
            .as("%s scored once:%n%s", name, console)
            .hasSize(1);
      }
      assertThat(Files.readString(bucket.resolve("predictions/iris/changed.csv.jsonl")))
          .doesNotContain("stale");
      // and what the killed run staged is gone
      assertThat(killedWhileScoring).as("killed while it was writing big.csv's output").isTrue();
      assertThat(
              Path.of(System.getProperty("java.io.tmpdir")).resolve("triad-scratch-" + first.pid()))
          .doesNotExist();
      assertThat(deadScratch).doesNotExist();
      assertThat(staged).doesNotExist();
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      second.destroyForcibly();
    }
  }

  private Process start(Path bucket, int port, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--triad.local.bucket=" + bucket,
                "--triad.local.port=" + port,
                "--triad.local.settle=100ms",
                "--triad.local.bootstrap=",
                "--triad.catalog=iris",
                "--" + TestModels.TRUST_SETTING)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // ONNX Runtime's telemetry crashes the JVM on long command lines; off before the child starts
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    return builder.start();
  }

  private static boolean staging(Path scratch) {
    try (var files = Files.list(scratch)) {
      return files.findAny().isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean alive(Process process) {
    if (!process.isAlive()) {
      throw new AssertionError("the runtime exited with " + process.exitValue());
    }
    return true;
  }

  private static boolean ready(LocalClient client) {
    try {
      HttpResponse<String> response = client.get("/v2/models/iris/ready");
      return response.statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static long lines(Path file) {
    try (var lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
