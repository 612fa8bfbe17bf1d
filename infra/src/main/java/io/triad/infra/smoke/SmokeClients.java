package io.triad.infra.smoke;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The SDK clients the smoke calls the stack with: the default credential chain, the stack's region,
 * and each service's endpoint from {@code AWS_ENDPOINT_URL_<SERVICE>} when set (the variables the
 * SDKs and Terraform's AWS provider read), which is how the doubles stand in.
 */
final class SmokeClients implements AutoCloseable {
  /** What every smoke call's User-Agent ends with. */
  static final String CALLER = "triad/smoke";

  private final DefaultCredentialsProvider credentials =
      DefaultCredentialsProvider.builder().build();
  private final S3Client s3;
  private final LambdaClient lambda;
  private final BatchClient batch;
  private final SecretsManagerClient secrets;
  private final EcrClient ecr;

  SmokeClients(String region, Map<String, String> env) {
    Region signing = Region.of(region);
    URI s3Endpoint = endpoint(env, "S3");
    S3ClientBuilder s3Builder = configure(S3Client.builder(), s3Endpoint, signing);
    if (s3Endpoint != null) {
      // an endpoint of one's own (an emulator) serves buckets by path and, like the adapters'
      // emulators, may know neither aws-chunked uploads nor the SDK's default flexible checksums
      s3Builder
          .serviceConfiguration(
              S3Configuration.builder()
                  .pathStyleAccessEnabled(true)
                  .chunkedEncodingEnabled(false)
                  .build())
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    s3 = s3Builder.build();
    lambda = configure(LambdaClient.builder(), endpoint(env, "LAMBDA"), signing).build();
    batch = configure(BatchClient.builder(), endpoint(env, "BATCH"), signing).build();
    secrets =
        configure(SecretsManagerClient.builder(), endpoint(env, "SECRETS_MANAGER"), signing)
            .build();
    ecr = configure(EcrClient.builder(), endpoint(env, "ECR"), signing).build();
  }

  private static URI endpoint(Map<String, String> env, String service) {
    String value = env.get("AWS_ENDPOINT_URL_" + service);
    return value == null || value.isBlank() ? null : URI.create(value);
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, URI endpoint, Region region) {
    builder
        // a synchronous invocation answers when the function ends (a cold start and up to its
        // timeout), later than the client's 30 s default
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(10)))
        .region(region)
        .credentialsProvider(credentials)
        // CloudTrail (and the doubles' call logs) tell the smoke's calls from the functions'
        .overrideConfiguration(
            o -> o.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, CALLER));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }

  S3Client s3() {
    return s3;
  }

  LambdaClient lambda() {
    return lambda;
  }

  BatchClient batch() {
    return batch;
  }

  SecretsManagerClient secrets() {
    return secrets;
  }

  /** The password {@code docker login} takes for the account's registry (12 hours). */
  String ecrPassword() {
    String token =
        ecr.getAuthorizationToken(r -> {}).authorizationData().get(0).authorizationToken();
    String user = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    return user.substring(user.indexOf(':') + 1);
  }

  /** An object as text, or nothing if it is not there (yet). */
  Optional<String> text(String bucket, String key) {
    try {
      return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    s3.close();
    lambda.close();
    batch.close();
    secrets.close();
    ecr.close();
    credentials.close();
  }
}
