package io.triad.aws;

import io.triad.s3.S3Endpoints;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the SDK clients from {@link AwsSettings}: the small URL-connection HTTP client (starts
 * faster than Apache's), region from the settings instead of the SDK's lookup chain, and the
 * default credentials chain, which reads Lambda's and Batch's own credentials. Every request's
 * User-Agent ends with {@code triad/CALLER} (http, s3, schedule, trainer), so CloudTrail (and the
 * tests' recorded calls) tell which function or job made it.
 */
public final class AwsClients {
  private AwsClients() {}

  /** What a caller outside the three functions and the trainer (tools, tests) is called. */
  public static final String ANY_CALLER = "client";

  public static S3Client s3(AwsSettings settings) {
    return s3Builder(settings, ANY_CALLER).build();
  }

  public static S3Client s3(AwsSettings settings, String caller) {
    return s3Builder(settings, caller).build();
  }

  /** The configured builder, for callers that add to it (tests add fault interceptors). */
  public static S3ClientBuilder s3Builder(AwsSettings settings) {
    return s3Builder(settings, ANY_CALLER);
  }

  public static S3ClientBuilder s3Builder(AwsSettings settings, String caller) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .overrideConfiguration(named(caller))
            .credentialsProvider(credentials())
            .httpClient(http());
    return S3Endpoints.at(builder, settings.s3Endpoint());
  }

  public static BatchClient batch(AwsSettings settings, String caller) {
    var builder =
        BatchClient.builder()
            .region(Region.of(settings.region()))
            .overrideConfiguration(named(caller))
            .credentialsProvider(credentials())
            .httpClient(http());
    if (settings.batchEndpoint() != null) {
      builder.endpointOverride(settings.batchEndpoint());
    }
    return builder.build();
  }

  public static SecretsManagerClient secrets(AwsSettings settings, String caller) {
    var builder =
        SecretsManagerClient.builder()
            .region(Region.of(settings.region()))
            .overrideConfiguration(named(caller))
            .credentialsProvider(credentials())
            .httpClient(http());
    if (settings.secretsEndpoint() != null) {
      builder.endpointOverride(settings.secretsEndpoint());
    }
    return builder.build();
  }

  /**
   * STS in the function's region (GetWebIdentityToken is not served by the global endpoint), or at
   * {@code endpoint} where one is given (emulators and tests).
   */
  static software.amazon.awssdk.services.sts.StsClient sts(
      AwsSettings settings, String caller, java.net.URI endpoint) {
    var builder =
        software.amazon.awssdk.services.sts.StsClient.builder()
            .region(Region.of(settings.region()))
            .overrideConfiguration(named(caller))
            .credentialsProvider(credentials())
            .httpClient(http());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  private static ClientOverrideConfiguration named(String caller) {
    return ClientOverrideConfiguration.builder()
        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "triad/" + caller)
        .build();
  }

  static AwsCredentialsProvider credentials() {
    return DefaultCredentialsProvider.builder().build();
  }

  private static SdkHttpClient http() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(30))
        .build();
  }
}
