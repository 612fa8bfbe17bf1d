package io.triad.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code triad.local.*}: where the embedded runtime keeps its bucket, where it listens, and what it
 * trains on first start.
 *
 * @param bucket the directory that stands in for the object store
 * @param host the address the HTTP server binds (loopback by default)
 * @param port the HTTP port; 0 picks a free one
 * @param httpThreads request threads
 * @param settle how long a new file must stay unchanged before its event fires
 * @param bootstrap models to train at start when they have no production version yet
 * @param trainingTimeout how long a training child process may run
 * @param trainerJvmOptions extra JVM options for the training child process
 */
public record LocalProperties(
    Path bucket,
    String host,
    Integer port,
    Integer httpThreads,
    Duration settle,
    List<String> bootstrap,
    Duration trainingTimeout,
    List<String> trainerJvmOptions) {

  public LocalProperties {
    bucket = bucket == null ? Path.of(".triad", "bucket") : bucket;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8080 : port;
    httpThreads = httpThreads == null ? 8 : httpThreads;
    settle = settle == null ? Duration.ofMillis(300) : settle;
    bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
    trainingTimeout = trainingTimeout == null ? Duration.ofMinutes(30) : trainingTimeout;
    trainerJvmOptions = trainerJvmOptions == null ? List.of() : List.copyOf(trainerJvmOptions);
  }

  public static LocalProperties defaults() {
    return new LocalProperties(null, null, null, null, null, null, null, null);
  }
}
