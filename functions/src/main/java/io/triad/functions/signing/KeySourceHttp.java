package io.triad.functions.signing;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The JDK HTTP client a cloud's {@link SigningKeySource} reads its secret with, made on the first
 * read: building one starts a selector thread and loads a hundred-odd milliseconds of classes,
 * which no function's cold start should pay for a key it reads only when it promotes.
 */
public final class KeySourceHttp implements Supplier<HttpClient> {
  private HttpClient client;

  @Override
  public synchronized HttpClient get() {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    return client;
  }
}
