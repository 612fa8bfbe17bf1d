package io.triad.aws.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * npm {@code s3rver} on 127.0.0.1 and a free port, as a child process of the test ({@code
 * s3-emulator.mjs}, installed into {@code target/s3rver} by the build), optionally forwarding its
 * object events as S3 notifications to a webhook. Objects live in a directory, so the emulator can
 * be {@linkplain #kill() killed} and {@linkplain #restart() restarted} on the same endpoint with
 * what it held. Closing it ends the process.
 */
public final class S3Emulator implements AutoCloseable {
  private final Path directory;
  private final String bucket;
  private final URI webhook;
  private final URI endpoint;
  private volatile Process process;

  private S3Emulator(Path directory, String bucket, URI webhook, Process process, URI endpoint) {
    this.directory = directory;
    this.bucket = bucket;
    this.webhook = webhook;
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts s3rver over {@code directory} with {@code bucket}; {@code webhook} may be null. */
  public static S3Emulator start(Path directory, String bucket, URI webhook) throws IOException {
    Process process = launch(directory, bucket, webhook, 0);
    return new S3Emulator(
        directory, bucket, webhook, process, URI.create("http://127.0.0.1:" + port(process)));
  }

  private static Process launch(Path directory, String bucket, URI webhook, int port)
      throws IOException {
    Path home = Path.of(System.getProperty("triad.s3rver.home", "target/s3rver")).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("node_modules/s3rver/package.json"))
        || !Files.isRegularFile(home.resolve("s3-emulator.mjs"))) {
      throw new IllegalStateException(
          "s3rver is not installed in "
              + home
              + "; the build installs it in generate-test-resources "
              + "(npm ci from adapters/aws/src/test/s3rver), e.g. ./mvnw -B -pl adapters/aws generate-test-resources");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "node", home.resolve("s3-emulator.mjs").toString(), directory.toString(), bucket));
    if (webhook != null) {
      command.add(webhook.toString());
    }
    Files.createDirectories(directory);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("S3RVER_PORT", Integer.toString(port));
    CloudCalls.file("s3.jsonl")
        .ifPresent(log -> builder.environment().put("S3RVER_CALL_LOG", log.toString()));
    return builder.start();
  }

  private static int port(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening ")) {
      process.destroyForcibly();
      throw new IllegalStateException("s3rver did not start (first line: " + line + ")");
    }
    return Integer.parseInt(line.substring("listening ".length()).trim());
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Kills the emulator at once, as a crash would: requests in flight are cut off. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }

  /** Starts the emulator again on the same endpoint over the same directory. */
  public void restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("s3rver is still running on " + endpoint);
    }
    Process restarted = launch(directory, bucket, webhook, endpoint.getPort());
    port(restarted);
    process = restarted;
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close(); // the script exits when its stdin ends
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
