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
 * @param http the HTTP front's limits ({@code triad.local.http.*})
 * @param settle how long a new file must stay unchanged before its event fires
 * @param bootstrap models to train at start when they have no production version yet
 * @param trainingTimeout how long a training child process may run
 * @param trainerJvmOptions extra JVM options for the training child process
 */
public record LocalProperties(
    Path bucket,
    String host,
    Integer port,
    Http http,
    Duration settle,
    List<String> bootstrap,
    Duration trainingTimeout,
    List<String> trainerJvmOptions) {

  public LocalProperties {
    bucket = bucket == null ? Path.of(".triad", "bucket") : bucket;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8080 : port;
    http = http == null ? new Http(null, null, null, null, null, null) : http;
    settle = settle == null ? Duration.ofMillis(300) : settle;
    bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
    trainingTimeout = trainingTimeout == null ? Duration.ofMinutes(30) : trainingTimeout;
    trainerJvmOptions = trainerJvmOptions == null ? List.of() : List.copyOf(trainerJvmOptions);
  }

  public static LocalProperties defaults() {
    return new LocalProperties(null, null, null, null, null, null, null, null);
  }

  /**
   * {@code triad.local.http.*}: what one client may cost the HTTP front.
   *
   * @param threads request threads (8): how many calls run at once; reading takes none
   * @param readTimeout how long a connection may send nothing (30 s)
   * @param maxHeaderBytes request line and headers together (16 KiB)
   * @param maxHeaders header fields (100)
   * @param maxUrlBytes the request target (8 KiB)
   * @param maxConnections open connections at once (512); past it new ones wait to be accepted
   */
  public record Http(
      Integer threads,
      Duration readTimeout,
      Integer maxHeaderBytes,
      Integer maxHeaders,
      Integer maxUrlBytes,
      Integer maxConnections) {
    public Http {
      threads = threads == null ? 8 : threads;
      readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
      maxHeaderBytes = maxHeaderBytes == null ? 16 * 1024 : maxHeaderBytes;
      maxHeaders = maxHeaders == null ? 100 : maxHeaders;
      maxUrlBytes = maxUrlBytes == null ? 8 * 1024 : maxUrlBytes;
      maxConnections = maxConnections == null ? 512 : maxConnections;
    }
  }
}
