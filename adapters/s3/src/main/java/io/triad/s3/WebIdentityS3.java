package io.triad.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;

/**
 * An S3 client for a bucket of another cloud's deployment, with no AWS key anywhere: its
 * credentials come from STS {@code AssumeRoleWithWebIdentity}, given the role's ARN and an OpenID
 * Connect token of the caller's own cloud (on GCP, an ID token of the function's service account
 * from the metadata server). The role's trust policy names that identity (infra's {@code
 * AwsReplicaWriters}); STS checks the token's signature and claims, and the session lasts an hour,
 * renewed with a fresh token a few minutes before it ends.
 */
public final class WebIdentityS3 {
  /** The characters STS accepts in a session name, 2 to 64 of them. */
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,64}");

  private WebIdentityS3() {}

  /**
   * @param arn the role to assume, {@code arn:aws:iam::ACCOUNT:role/NAME}
   * @param region the bucket's region
   * @param sessionName what CloudTrail records as the session (the calling function)
   * @param stsEndpoint STS's address, or null for the region's
   * @param s3Endpoint S3's address, or null for AWS's
   */
  public record Role(
      String arn, String region, String sessionName, URI stsEndpoint, URI s3Endpoint) {
    public Role {
      Objects.requireNonNull(region, "region");
      if (arn == null || !ROLE_ARN.matcher(arn).matches()) {
        throw new IllegalArgumentException(
            "expected a role ARN such as arn:aws:iam::123456789012:role/NAME, got " + arn);
      }
      if (sessionName == null || !SESSION_NAME.matcher(sessionName).matches()) {
        throw new IllegalArgumentException(
            "a session name is 2-64 of letters, digits and +=,.@_-, got " + sessionName);
      }
    }
  }

  /**
   * An S3 client whose every request is signed with the role's session.
   *
   * @param tokens a fresh OpenID Connect token each time it is asked (a session is renewed with a
   *     new one)
   * @param caller what the User-Agent ends with ({@code triad/CALLER}), for CloudTrail and the
   *     tests' recorded calls
   */
  public static S3Client client(Role role, Supplier<String> tokens, String caller) {
    ClientOverrideConfiguration named =
        ClientOverrideConfiguration.builder()
            .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "triad/" + caller)
            .build();
    // AssumeRoleWithWebIdentity is not signed: the token is the credential
    StsClientBuilder sts =
        StsClient.builder()
            .region(Region.of(role.region()))
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .overrideConfiguration(named)
            .httpClient(http());
    if (role.stsEndpoint() != null) {
      sts.endpointOverride(role.stsEndpoint());
    }
    StsAssumeRoleWithWebIdentityCredentialsProvider credentials =
        StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
            .stsClient(sts.build())
            .refreshRequest(
                () ->
                    software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest
                        .builder()
                        .roleArn(role.arn())
                        .roleSessionName(role.sessionName())
                        .webIdentityToken(tokens.get())
                        .durationSeconds((int) Duration.ofHours(1).toSeconds())
                        .build())
            .staleTime(Duration.ofMinutes(5))
            .asyncCredentialUpdateEnabled(false)
            .build();
    return S3Endpoints.at(
            S3Client.builder()
                .region(Region.of(role.region()))
                .credentialsProvider(credentials)
                .overrideConfiguration(named)
                .httpClient(http()),
            role.s3Endpoint())
        .build();
  }

  private static SdkHttpClient http() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(30))
        .build();
  }
}
