package io.triad.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.triad.aws.testing.SigV4;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The role's token for Entra: GetWebIdentityToken as the real SDK sends it, against WireMock on
 * 127.0.0.1 answering with STS's documented XML (AWS STS does not run here). The request is signed
 * for STS in the function's region, asks for Entra's exchange audience, RS256 (the only algorithm
 * the role's policy allows) and five minutes; STS's refusal reaches the caller in its words.
 */
class RoleTokensTest {
  private WireMockServer sts;
  private String accessKey;
  private String secretKey;

  @BeforeEach
  void start() {
    // the build's own test credentials come back afterwards: the other tests sign with them
    accessKey = System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    secretKey = System.setProperty("aws.secretAccessKey", "secret");
    sts =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    sts.start();
  }

  @AfterEach
  void stop() {
    sts.stop();
    restore("aws.accessKeyId", accessKey);
    restore("aws.secretAccessKey", secretKey);
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private RoleTokens tokens(AtomicInteger made) {
    AwsSettings settings =
        AwsSettings.from(Map.of(AwsSettings.REGION, "eu-west-1", AwsSettings.BUCKET, "b")::get);
    return new RoleTokens(
        () -> {
          made.incrementAndGet();
          return AwsClients.sts(settings, "s3", URI.create("http://127.0.0.1:" + sts.port() + "/"));
        });
  }

  @Test
  void token_should_beAskedForEntrasAudienceSignedForTheRegion() {
    sts.stubFor(
        post(urlEqualTo("/"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<GetWebIdentityTokenResponse"
                            + " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                            + "<GetWebIdentityTokenResult>"
                            + "<WebIdentityToken>eyJ.role.token</WebIdentityToken>"
                            + "<Expiration>2026-12-05T22:05:00Z</Expiration>"
                            + "</GetWebIdentityTokenResult>"
                            + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
                            + "</GetWebIdentityTokenResponse>")));
    AtomicInteger made = new AtomicInteger();
    RoleTokens tokens = tokens(made);
    assertThat(made).hasValue(0);

    assertThat(tokens.get()).isEqualTo("eyJ.role.token");
    assertThat(tokens.get()).isEqualTo("eyJ.role.token");

    // one client, made on first use; every call a fresh token
    assertThat(made).hasValue(1);
    sts.verify(
        2,
        postRequestedFor(urlEqualTo("/"))
            .withRequestBody(containing("Action=GetWebIdentityToken"))
            .withRequestBody(containing("Audience.member.1=api%3A%2F%2FAzureADTokenExchange"))
            .withRequestBody(containing("SigningAlgorithm=RS256"))
            .withRequestBody(containing("DurationSeconds=300"))
            .withHeader("User-Agent", containing("triad/s3")));
    String authorization = sts.getAllServeEvents().get(0).getRequest().getHeader("Authorization");
    SigV4.Authorization auth = SigV4.Authorization.parse(authorization);
    assertThat(auth.service()).isEqualTo("sts");
    assertThat(auth.region()).isEqualTo("eu-west-1");
    assertThat(auth.accessKey()).isEqualTo("AKIDEXAMPLE");
  }

  @Test
  void refusal_should_reachTheCallerInStsWords() {
    sts.stubFor(
        post(urlEqualTo("/"))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                            + "<Error><Type>Sender</Type>"
                            + "<Code>OutboundWebIdentityFederationDisabledException</Code>"
                            + "<Message>Outbound web identity federation is disabled for this"
                            + " account</Message></Error><RequestId>r-2</RequestId>"
                            + "</ErrorResponse>")));

    assertThatThrownBy(() -> tokens(new AtomicInteger()).get())
        .hasMessageContaining("Outbound web identity federation is disabled");
  }
}
