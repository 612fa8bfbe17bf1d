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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Blob emulator (npm {@code azurite}, installed by the build into this module's node_modules)
 * on 127.0.0.1 and a free port, in memory or on disk; {@link #close} ends it.
 */
final class Azurite implements AutoCloseable {
  /** Azurite's well-known development account; published by Microsoft, not a secret. */
  private static final String ACCOUNT = "devstoreaccount1";

  private static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Path workDir;
  private final boolean durable;
  private final int port;
  private final Path pfx;
  private final String password;
  private volatile Process process;

  private Azurite(Path workDir, boolean durable, int port) {
    this(workDir, durable, port, null, null);
  }

  private Azurite(Path workDir, boolean durable, int port, Path pfx, String password) {
    this.workDir = workDir;
    this.durable = durable;
    this.port = port;
    this.pfx = pfx;
    this.password = password;
  }

  /**
   * Starts Azurite in memory over HTTPS with {@code pfx}'s certificate, taking Entra bearer tokens
   * as Blob storage does ({@code --oauth basic}: a token for Storage's audience from an Entra
   * issuer, in its lifetime; the signature is not checked) and no shared key: the way another
   * cloud's identity reaches the container. Azure's clients send a bearer token over HTTPS only.
   */
  static Azurite startSecure(Path workDir, Path pfx, String password)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Azurite azurite = new Azurite(workDir, false, freePort(), pfx, password);
    azurite.launch();
    return azurite;
  }

  /** The development account's Blob endpoint, {@code https://127.0.0.1:PORT/devstoreaccount1}. */
  String secureEndpoint() {
    return "https://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  static Azurite start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, false);
  }

  /**
   * Starts Azurite on a free port; {@code durable} keeps the blobs in {@code workDir} instead of in
   * memory, so a {@linkplain #stop() stopped} emulator {@linkplain #restart() restarts} with them.
   */
  static Azurite start(Path workDir, boolean durable) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Azurite azurite = new Azurite(workDir, durable, freePort());
    azurite.launch();
    return azurite;
  }

  private void launch() throws IOException, InterruptedException {
    String binary = System.getProperty("triad.azurite");
    if (binary == null || !Files.isExecutable(Path.of(binary))) {
      throw new IllegalStateException(
          "Azurite is not installed at "
              + binary
              + ": the build installs it (npm install in adapters/azure, phase generate-test-resources); run ./mvnw verify, with node and npm on the PATH");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                binary,
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                Integer.toString(port),
                "--disableTelemetry",
                "--skipApiVersionCheck",
                "--silent"));
    command.addAll(
        durable
            ? List.of("--location", workDir.resolve("data").toString())
            : List.of("--inMemoryPersistence"));
    if (pfx != null) {
      command.addAll(List.of("--oauth", "basic", "--cert", pfx.toString(), "--pwd", password));
    }
    process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(workDir.resolve("azurite.log").toFile()))
            .start();
    awaitListening(workDir.resolve("azurite.log"));
  }

  /**
   * Stops the emulator (SIGTERM): requests in flight are cut off. Not a kill: Azurite saves its
   * on-disk metadata (containers, block lists) only every few seconds and on a clean stop, so a
   * killed Azurite forgets recent writes that Blob storage itself would have kept.
   */
  void stop() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("Azurite did not stop within 10 s");
    }
  }

  /** Starts a stopped emulator again on the same port; a durable one comes back with its blobs. */
  void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("Azurite is still running on port " + port);
    }
    launch();
  }

  String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + KEY
        + ";BlobEndpoint=http://127.0.0.1:"
        + port
        + "/"
        + ACCOUNT
        + ";";
  }

  private void awaitListening(Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Azurite exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException(
        "Azurite did not listen on 127.0.0.1:" + port + " within 30 s: " + Files.readString(log));
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
