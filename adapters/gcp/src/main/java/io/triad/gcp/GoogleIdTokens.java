package io.triad.gcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * ID tokens of the function's own service account for one audience, from the metadata server (Cloud
 * Functions and Cloud Run serve the same endpoint as Compute Engine): a Google-signed JWT whose
 * {@code sub} and {@code azp} are the account's unique id, {@code aud} the audience asked for.
 * Nothing is stored: each call asks for a fresh token (STS asks once an hour).
 */
final class GoogleIdTokens implements Supplier<String> {
  static final String DEFAULT_HOST = "metadata.google.internal";
  private static final int MAX_BYTES = 16 * 1024;
  private static final Pattern JWT =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private final URI uri;
  private final HttpClient http;

  /**
   * @param host the metadata server ({@code GCE_METADATA_HOST}, as Google's libraries read it), or
   *     null for {@value #DEFAULT_HOST}
   * @param audience what the token's {@code aud} says, which the receiving service checks
   */
  GoogleIdTokens(String host, String audience) {
    this.uri =
        URI.create(
            "http://"
                + (host == null || host.isBlank() ? DEFAULT_HOST : host)
                + "/computeMetadata/v1/instance/service-accounts/default/identity?audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8)
                + "&format=full");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  @Override
  public String get() {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Metadata-Flavor", "Google")
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    HttpResponse<java.io.InputStream> response;
    String body;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream in = response.body()) {
        // a token is about a kilobyte: never more than MAX_BYTES of whatever answers in memory
        body = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8).strip();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the metadata server gave no identity token (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking for an identity token", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "the metadata server refused an identity token ("
              + response.statusCode()
              + "): "
              + body.lines().findFirst().orElse(""));
    }
    if (!JWT.matcher(body).matches()) {
      throw new IllegalStateException("the metadata server answered something that is no JWT");
    }
    return body;
  }
}
