package io.triad.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The client's two steps as the services see them (WireMock on 127.0.0.1 answering as STS and S3
 * answer): the token goes to STS unsigned, and S3 gets requests signed with the session it
 * returned. What STS decides is the tests' STS double's job (integration-tests).
 */
class WebIdentityS3Test {
  private static final String ROLE = "arn:aws:iam::123456789012:role/triad-gcp-replicas";
  private WireMockServer server;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void requests_should_beSignedWithTheSessionTheTokenBought() {
    // given STS trading the token for a session, and a bucket
    server.stubFor(
        post(urlEqualTo("/"))
            .withRequestBody(containing("Action=AssumeRoleWithWebIdentity"))
            .willReturn(aResponse().withStatus(200).withBody(credentials("ASIASESSION1"))));
    server.stubFor(
        get(urlPathEqualTo("/replica/models/iris/aliases/production"))
            .willReturn(aResponse().withStatus(200).withBody("3")));
    AtomicInteger tokensAsked = new AtomicInteger();
    S3Client s3 =
        WebIdentityS3.client(role(), () -> "token-" + tokensAsked.incrementAndGet(), "objects");

    // when an object is read
    String body =
        s3.getObject(
                b -> b.bucket("replica").key("models/iris/aliases/production"),
                ResponseTransformer.toBytes())
            .asUtf8String();

    // then one token was traded for a session, unsigned, and S3 saw that session's signature
    assertThat(body).isEqualTo("3");
    assertThat(tokensAsked).hasValue(1);
    server.verify(
        postRequestedFor(urlEqualTo("/"))
            .withRequestBody(containing("WebIdentityToken=token-1"))
            .withRequestBody(containing("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole"))
            .withRequestBody(containing("RoleSessionName=triad-objects"))
            .withoutHeader("Authorization")
            .withHeader("User-Agent", matching(".*triad/objects.*")));
    server.verify(
        getRequestedFor(urlPathEqualTo("/replica/models/iris/aliases/production"))
            .withHeader("Authorization", containing("Credential=ASIASESSION1/"))
            .withHeader("X-Amz-Security-Token", matching("session-token-ASIASESSION1")));
  }

  @Test
  void aTokenStsRefuses_should_failTheRequestWithStsReason() {
    server.stubFor(
        post(urlEqualTo("/"))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody(
                        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                            + "<Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized"
                            + " to perform sts:AssumeRoleWithWebIdentity</Message></Error>"
                            + "<RequestId>r-1</RequestId></ErrorResponse>")));
    S3Client s3 = WebIdentityS3.client(role(), () -> "token", "objects");

    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("replica").key("models/iris/x")))
        .hasStackTraceContaining("Not authorized to perform sts:AssumeRoleWithWebIdentity");
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/replica/models/iris/x")))).isEmpty();
  }

  @Test
  void role_should_refuseWhatStsWould() {
    assertThatThrownBy(
            () -> new WebIdentityS3.Role("triad-role", "eu-west-1", "triad-x", null, null))
        .hasMessageContaining("expected a role ARN");
    assertThatThrownBy(() -> new WebIdentityS3.Role(ROLE, "eu-west-1", "a b", null, null))
        .hasMessageContaining("session name");
  }

  private WebIdentityS3.Role role() {
    URI base = URI.create(server.baseUrl());
    return new WebIdentityS3.Role(ROLE, "eu-west-1", "triad-objects", base, base);
  }

  private static String credentials(String accessKey) {
    return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + "<AssumeRoleWithWebIdentityResult>"
        + "<SubjectFromWebIdentityToken>1234</SubjectFromWebIdentityToken>"
        + "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/triad-gcp-replicas/"
        + "triad-objects</Arn><AssumedRoleId>AROAEXAMPLE:triad-objects</AssumedRoleId>"
        + "</AssumedRoleUser><Credentials><SessionToken>session-token-"
        + accessKey
        + "</SessionToken><SecretAccessKey>secret</SecretAccessKey><Expiration>"
        + Instant.now().plusSeconds(3600)
        + "</Expiration><AccessKeyId>"
        + accessKey
        + "</AccessKeyId></Credentials><Provider>accounts.google.com</Provider>"
        + "<Audience>"
        + ROLE
        + "</Audience></AssumeRoleWithWebIdentityResult>"
        + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
        + "</AssumeRoleWithWebIdentityResponse>";
  }
}
