package io.triad.azure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Blob emulator (npm {@code azurite}, installed by the build into this module's
 * node_modules) on 127.0.0.1 and a free port, in memory; {@link #close} ends it.
 */
final class Azurite implements AutoCloseable {
  /** Azurite's well-known development account; published by Microsoft, not a secret. */
  private static final String ACCOUNT = "devstoreaccount1";
  private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;

  private Azurite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Azurite start(Path workDir) throws IOException, InterruptedException {
    String binary = System.getProperty("triad.azurite");
    if (binary == null || !Files.isExecutable(Path.of(binary))) {
      throw new IllegalStateException("Azurite is not installed at " + binary
          + ": the build installs it (npm install in adapters/azure, phase generate-test-resources); run ./mvnw verify, with node and npm on the PATH");
    }
    int port = freePort();
    Files.createDirectories(workDir);
    Process process = new ProcessBuilder(List.of(binary, "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
        "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent"))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("azurite.log").toFile())
        .start();
    Azurite azurite = new Azurite(process, port);
    azurite.awaitListening(workDir.resolve("azurite.log"));
    return azurite;
  }

  String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
        + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
  }

  private void awaitListening(Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Azurite exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("Azurite did not listen on 127.0.0.1:" + port + " within 30 s: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
