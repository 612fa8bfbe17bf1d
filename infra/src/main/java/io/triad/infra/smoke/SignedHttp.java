package io.triad.infra.smoke;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Requests to a Lambda function URL whose auth type is AWS_IAM: each is signed with SigV4 for the
 * {@code lambda} service by the SDK's signer, with the caller's default credentials.
 */
final class SignedHttp {
  /** Headers java.net.http sets itself and refuses from the caller; they match what was signed. */
  private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");

  /** A status and a body. */
  record Answer(int status, String body) {}

  private final String region;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  SignedHttp(String region) {
    this.region = region;
  }

  Answer send(String method, String base, String path, String json) {
    URI uri = URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
    if (json != null) {
      unsigned.putHeader("Content-Type", "application/json");
    }
    SignedRequest signed;
    try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
      signed =
          AwsV4HttpSigner.create()
              .sign(
                  r ->
                      r.identity(credentials.resolveCredentials())
                          .request(unsigned.build())
                          .payload(
                              json == null
                                  ? null
                                  : ContentStreamProvider.fromInputStreamSupplier(
                                      () -> new ByteArrayInputStream(body)))
                          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                          .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .request()
        .forEachHeader(
            (name, values) -> {
              if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
              }
            });
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new SmokeFailure(method + " " + uri + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmokeFailure("interrupted");
    }
  }
}
