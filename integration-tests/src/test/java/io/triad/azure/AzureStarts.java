package io.triad.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.triad.azblob.AzureBlobStore;
import io.triad.bench.ChildJvm;
import io.triad.bench.ColdStart;
import io.triad.bench.Sample;
import io.triad.functions.store.BlobStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Azurite with one container, and starts of the adapter's {@link AzureAdapterBenchmark} child (the
 * worker's injector path, or its plain handler) reading from it: launch to the child's {@code
 * answered} line is the cold start; its own row gives warm latency (in process, no HTTP: the
 * Functions host is not here) and VmHWM. In the adapter's package for Azurite, a package-private
 * test seam.
 */
public final class AzureStarts implements AutoCloseable {
  private final Azurite azurite;
  private final BlobStore bucket;
  private final String container;

  private AzureStarts(Azurite azurite, BlobStore bucket, String container) {
    this.azurite = azurite;
    this.bucket = bucket;
    this.container = container;
  }

  public static AzureStarts open(Path work, String container) throws Exception {
    Azurite azurite = Azurite.start(work.resolve("azurite"));
    try {
      BlobStore bucket =
          new AzureBlobStore(
              new BlobServiceClientBuilder()
                  .connectionString(azurite.connectionString())
                  .httpClient(new JdkHttpClientBuilder().build())
                  .buildClient()
                  .createBlobContainer(container));
      return new AzureStarts(azurite, bucket, container);
    } catch (RuntimeException e) {
      azurite.close();
      throw e;
    }
  }

  public BlobStore bucket() {
    return bucket;
  }

  /**
   * {@code mode}: {@code injector} (Triad) or {@code plain}; {@code classPath} holds the function
   * app and the child.
   */
  public ColdStart start(String name, String mode, String classPath, Path logDir) {
    return start(name, mode, classPath, Map.of(), logDir);
  }

  /**
   * The same with more environment (app settings: Spring reads {@code SPRING_*} ones as its own).
   */
  public ColdStart start(
      String name, String mode, String classPath, Map<String, String> env, Path logDir) {
    return ColdStart.of(
        name,
        () ->
            run(name, mode, classPath, env, logDir.resolve(name.replaceAll("\\W+", "-") + ".log")));
  }

  private Sample run(String name, String mode, String classPath, Map<String, String> env, Path log)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                ChildJvm.java().toString(),
                "-cp",
                classPath,
                AzureAdapterBenchmark.class.getName(),
                mode)
            .redirectError(log.toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "ORT_DISABLE_TELEMETRY",
                "1",
                AzureSettings.CONTAINER,
                container,
                AzureSettings.STORAGE_CONNECTION,
                azurite.connectionString(),
                io.triad.settings.TriadContract.MODELS,
                "iris"));
    builder
        .environment()
        .put(
            io.triad.settings.TriadContract.SIGNING_TRUSTED_KEYS,
            io.triad.bench.BenchKeys.trustedKeys()
                + ","
                + io.triad.functions.testing.TestModels.TRUSTED_KEY);
    builder.environment().putAll(env);
    long t0 = System.nanoTime();
    Process child = builder.start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long firstMs = -1;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals("answered")) {
          firstMs = (System.nanoTime() - t0) / 1_000_000;
        } else if (line.startsWith("| ") && firstMs >= 0) {
          // | mode | main to first 200 ms | p50 µs | p99 µs | peak RSS MiB |
          List<String> cells = List.of(line.substring(2, line.length() - 2).split(" \\| "));
          return Sample.of(
              firstMs,
              Map.of(
                  "iris",
                  Sample.micros(
                      Double.parseDouble(cells.get(2)), Double.parseDouble(cells.get(3)))),
              Long.parseLong(cells.get(4)) * 1024);
        }
      }
      throw new IllegalStateException(name + " gave no result:\n" + ChildJvm.tail(log));
    } finally {
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    azurite.close();
  }
}
