package io.triad.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The GetWebIdentityToken double refuses what AWS STS refuses, or the Azure route's drill would
 * prove nothing: a request signed with a secret it did not issue, for another region, with an
 * algorithm or duration out of range, or from an account with outbound federation off; and the
 * token it gives carries what AWS documents (issuer, the role's ARN as subject, the audience, a
 * lifetime), signed with the key it publishes. Driven by the real SDK client.
 */
class AwsRoleTokenDoubleTest {
  private static final String ISSUER = "https://5f1e2d3c.tokens.sts.global.api.aws";
  private static final String ROLE = "arn:aws:iam::123456789012:role/triad-s3-function";
  private static final String AUDIENCE = "api://AzureADTokenExchange";

  private static StsClient sts(URI endpoint, String secret, String region) {
    return StsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAROLE", secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static AwsRoleTokenDouble double_(String issuer) throws Exception {
    return new AwsRoleTokenDouble(
        issuer, "eu-west-1", Map.of("AKIAROLE", Map.entry("role-secret", ROLE)), Clock.systemUTC());
  }

  @Test
  void token_should_carryWhatAwsDocuments_when_theRoleAsks() throws Exception {
    try (AwsRoleTokenDouble aws = double_(ISSUER);
        StsClient client = sts(aws.endpoint(), "role-secret", "eu-west-1")) {
      String token =
          client
              .getWebIdentityToken(
                  r -> r.audience(AUDIENCE).signingAlgorithm("RS256").durationSeconds(300))
              .webIdentityToken();

      assertThat(TokenSigner.verifies(aws.publicKey(), token)).isTrue();
      JsonNode claims =
          new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
      assertThat(claims.path("iss").asText()).isEqualTo(ISSUER);
      assertThat(claims.path("sub").asText()).isEqualTo(ROLE);
      assertThat(claims.path("aud").asText()).isEqualTo(AUDIENCE);
      assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);
      assertThat(claims.at("/https:~1~1sts.amazonaws.com~1/aws_account").asText())
          .isEqualTo("123456789012");
    }
  }

  @Test
  void request_should_beRefusedAsAwsRefusesIt() throws Exception {
    try (AwsRoleTokenDouble aws = double_(ISSUER)) {
      try (StsClient guessed = sts(aws.endpoint(), "guessed", "eu-west-1")) {
        assertThatThrownBy(
                () ->
                    guessed.getWebIdentityToken(
                        r -> r.audience(AUDIENCE).signingAlgorithm("RS256")))
            .hasMessageContaining("signature we calculated does not match");
      }
      try (StsClient elsewhere = sts(aws.endpoint(), "role-secret", "us-west-2")) {
        assertThatThrownBy(
                () ->
                    elsewhere.getWebIdentityToken(
                        r -> r.audience(AUDIENCE).signingAlgorithm("RS256")))
            .hasMessageContaining("signature we calculated does not match");
      }
      try (StsClient client = sts(aws.endpoint(), "role-secret", "eu-west-1")) {
        assertThatThrownBy(
                () ->
                    client.getWebIdentityToken(r -> r.audience(AUDIENCE).signingAlgorithm("HS256")))
            .hasMessageContaining("SigningAlgorithm");
        assertThatThrownBy(
                () ->
                    client.getWebIdentityToken(
                        r -> r.audience(AUDIENCE).signingAlgorithm("RS256").durationSeconds(7200)))
            .hasMessageContaining("DurationSeconds");
      }
    }
    try (AwsRoleTokenDouble off = double_(null);
        StsClient client = sts(off.endpoint(), "role-secret", "eu-west-1")) {
      assertThatThrownBy(
              () -> client.getWebIdentityToken(r -> r.audience(AUDIENCE).signingAlgorithm("RS256")))
          .hasMessageContaining("Outbound web identity federation is disabled");
    }
  }
}
