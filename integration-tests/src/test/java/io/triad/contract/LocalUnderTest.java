package io.triad.contract;

import io.triad.functions.store.BlobStore;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.TestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded runtime as a user runs it: {@code java -jar triad-local.jar} in a child JVM (its JDK
 * HTTP server on 127.0.0.1) over a directory bucket that already holds the model, so nothing is
 * trained at start.
 */
final class LocalUnderTest implements RuntimeUnderTest {
  private static final Duration START = Duration.ofSeconds(60);
  private final Process process;
  private final LoopbackClient client;
  private final BlobStore bucket;
  private final Path log;

  LocalUnderTest(Path work, String... settings) throws Exception {
    Path bucket = Files.createDirectories(work.resolve("bucket"));
    this.bucket = new FileSystemBlobStore(bucket);
    new TestModels(this.bucket).publishIris("1");
    Path jar =
        Path.of(System.getProperty("triad.local.jar", "adapters/local/target/triad-local.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no local runtime jar at " + jar + "; the build makes it in adapters/local (package)");
    }
    this.log = work.resolve("local.log");
    int port = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "--triad.local.bucket=" + bucket,
                "--triad.local.port=" + port,
                "--triad.local.bootstrap=",
                // no retraining at a wall-clock slot while the suite runs: a run across mnist's
                // 03:30 UTC once found the server not ready, mnist training its first version
                "--triad.models.iris.schedule=",
                "--triad.models.mnist.schedule=",
                "--triad.local.settle=100ms",
                "--triad.max-body-bytes=" + RuntimeContractIT.MAX_BODY_BYTES,
                "--triad.alias-refresh=" + RuntimeContractIT.ALIAS_REFRESH_MILLIS + "ms",
                // packages the tests publish are signed with the tests' key; what the runtime
                // promotes, with its own key beside the bucket
                "--" + TestModels.TRUST_SETTING));
    PayloadDrill.SETTINGS.forEach((name, value) -> command.add("--" + name + "=" + value));
    RolloutDrill.SETTINGS.forEach((name, value) -> command.add("--" + name + "=" + value));
    for (String setting : settings) {
      command.add("--" + setting);
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // ONNX Runtime's telemetry crashes the JVM on long command lines; off before the child starts
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    this.process = builder.start();
    // a test JVM that is killed must not leave the runtime listening
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    this.client = new LoopbackClient("http://127.0.0.1:" + port);
    awaitLive(log);
  }

  private void awaitLive(Path log) throws Exception {
    ContractRequest live =
        new ContractRequest("live", "GET", "/v2/health/live", java.util.Map.of(), new byte[0]);
    Instant deadline = Instant.now().plus(START);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the local runtime exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        if (client.send(live).status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException(
        "the local runtime did not answer within " + START + ": " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public BlobStore bucket() {
    return bucket;
  }

  @Override
  public String logTail() {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 20_000));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Nothing to send: the runtime's watcher sees the file once it has settled. */
  @Override
  public void announce(String key) {}

  @Override
  public Answer send(ContractRequest request) throws Exception {
    return client.send(request);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
