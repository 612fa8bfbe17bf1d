package io.triad.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.GoogleCredentials;
import io.triad.functions.signing.KeySourceHttp;
import io.triad.functions.signing.SigningKeySource;
import io.triad.settings.GcpContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * {@code gcp-secretmanager:projects/P/secrets/S/versions/V}: the signing key as a Secret Manager
 * secret version, read over Secret Manager's REST API ({@code versions.access}) with the objects
 * function's own service account, the only one granted {@code secretAccessor} on it. The payload's
 * CRC32C is checked when the service sends one.
 */
public final class SecretManagerKeySource implements SigningKeySource {
  private static final URI GOOGLE = URI.create("https://secretmanager.googleapis.com/");
  private static final Pattern VERSION =
      Pattern.compile("projects/[^/]+/secrets/[A-Za-z0-9_-]{1,255}/versions/[A-Za-z0-9_-]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI root;
  private final Supplier<String> accessToken;
  private final KeySourceHttp http = new KeySourceHttp();

  /**
   * @param root the API's root ({@code https://secretmanager.googleapis.com/}; a test double's)
   * @param accessToken an OAuth access token for the function's service account
   */
  public SecretManagerKeySource(URI root, Supplier<String> accessToken) {
    this.root = root;
    this.accessToken = accessToken;
  }

  /** Against Google, with the application default credentials (the function's account). */
  public static SecretManagerKeySource google(String endpointOverride) {
    URI root =
        endpointOverride == null || endpointOverride.isBlank()
            ? GOOGLE
            : URI.create(
                endpointOverride.endsWith("/") ? endpointOverride : endpointOverride + "/");
    return new SecretManagerKeySource(root, SecretManagerKeySource::defaultToken);
  }

  @Override
  public String scheme() {
    return GcpContract.SECRET_MANAGER_SCHEME;
  }

  @Override
  public String read(String version) throws IOException {
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(
          "'" + version + "' is not a secret version (projects/P/secrets/S/versions/V)");
    }
    String token;
    try {
      token = accessToken.get();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    HttpRequest request =
        HttpRequest.newBuilder(root.resolve("v1/" + version + ":access"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response =
          http.get().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + version, e);
    }
    JsonNode body = parse(response.body());
    int status = response.statusCode();
    if (status == 404) {
      throw new IllegalArgumentException(
          "secret version "
              + version
              + " does not exist: add the signing key to the secret (README, \"Signed model"
              + " packages\")");
    }
    if (status >= 400 && status < 500 && status != 429) {
      throw new IllegalArgumentException(
          "secret version "
              + version
              + " cannot be read: "
              + body.at("/error/message").asText("HTTP " + status));
    }
    if (status != 200) {
      throw new IOException("Secret Manager answered HTTP " + status);
    }
    byte[] data = Base64.getDecoder().decode(body.at("/payload/data").asText(""));
    JsonNode crc = body.at("/payload/dataCrc32c");
    if (!crc.isMissingNode()) {
      CRC32C check = new CRC32C();
      check.update(data);
      if (check.getValue() != crc.asLong()) {
        throw new IOException("the secret's payload arrived damaged (CRC32C mismatch)");
      }
    }
    if (data.length == 0) {
      throw new IllegalArgumentException("secret version " + version + " is empty");
    }
    return new String(data, StandardCharsets.US_ASCII);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String defaultToken() {
    try {
      GoogleCredentials credentials =
          GoogleCredentials.getApplicationDefault()
              .createScoped(List.of("https://www.googleapis.com/auth/cloud-platform"));
      credentials.refreshIfExpired();
      return credentials.getAccessToken().getTokenValue();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("no Google credentials for Secret Manager", e);
    }
  }
}
