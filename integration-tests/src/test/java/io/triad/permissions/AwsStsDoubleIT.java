package io.triad.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The STS double refuses what STS refuses, or the replication drills would prove nothing about the
 * roles' trust: asked through the real SDK client for the role the built AWS stack
 * (infra/triad.yaml) gives GCP's functions, it grants a session to a trusted service account's
 * token made out to the role, and refuses a token of an account the role does not list, one made
 * out to another audience, an expired one, one signed by another key, a role the stack does not
 * have, and a session longer than the role allows; for the role Azure's app assumes, it grants a
 * session to the listed managed identity's token for Entra's exchange, and refuses another
 * identity's, a token for another resource or from another tenant or signer, and a token of the
 * other cloud for each role.
 */
class AwsStsDoubleIT {
  private GoogleMetadataDouble google;
  private GoogleMetadataDouble impostor;
  private AwsStsDouble sts;
  private StsClient client;
  private String role;
  private String trusted;
  private String azureRole;
  private EntraTokenDouble entra;
  private EntraTokenDouble entraImpostor;

  @BeforeEach
  void start() throws Exception {
    JsonNode stack = AwsStsDouble.builtStack();
    JsonNode roleResource = null;
    for (JsonNode r : stack.at("/resource/aws_iam_role")) {
      if (r.path("assume_role_policy").asText().contains("accounts.google.com")) {
        roleResource = r;
      }
    }
    assertThat(roleResource).as("the built stack's role for GCP's functions").isNotNull();
    role = "arn:aws:iam::" + AwsPermissions.ACCOUNT + ":role/" + roleResource.path("name").asText();
    trusted =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(roleResource.path("assume_role_policy").asText())
            .findValue("accounts.google.com:sub")
            .get(0)
            .asText();
    google =
        new GoogleMetadataDouble(trusted, "objects@p.iam.gserviceaccount.com", Clock.systemUTC());
    impostor =
        new GoogleMetadataDouble(trusted, "objects@p.iam.gserviceaccount.com", Clock.systemUTC());
    // the Azure route: the role trusting the tenant's issuer through the stack's OIDC provider
    JsonNode azureResource = null;
    for (JsonNode r : stack.at("/resource/aws_iam_role")) {
      if (r.path("assume_role_policy").asText().contains("aws_iam_openid_connect_provider")) {
        azureResource = r;
      }
    }
    assertThat(azureResource).as("the built stack's role for Azure's app").isNotNull();
    azureRole =
        "arn:aws:iam::" + AwsPermissions.ACCOUNT + ":role/" + azureResource.path("name").asText();
    String issuer =
        stack
            .at("/resource/aws_iam_openid_connect_provider")
            .elements()
            .next()
            .path("url")
            .asText();
    String tenant = issuer.split("/")[3];
    String objectId =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(azureResource.path("assume_role_policy").asText())
            .findValue(issuer.substring("https://".length()) + ":sub")
            .get(0)
            .asText();
    entra = new EntraTokenDouble(tenant, objectId, Clock.systemUTC());
    entraImpostor = new EntraTokenDouble(tenant, objectId, Clock.systemUTC());
    sts =
        new AwsStsDouble(
            stack,
            Map.of(
                GoogleMetadataDouble.ISSUER, google.publicKey(), entra.issuer(), entra.publicKey()),
            "S3RVER",
            "S3RVER",
            Clock.systemUTC());
    client =
        StsClient.builder()
            .region(Region.EU_WEST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .endpointOverride(sts.endpoint())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    sts.close();
    google.close();
    impostor.close();
  }

  @Test
  void trustedAccount_should_getASession_forTokensMadeOutToTheRole() {
    AssumeRoleWithWebIdentityResponse session = assume(role, token(google, c -> c), 3600);

    assertThat(session.credentials().accessKeyId()).isEqualTo("S3RVER");
    assertThat(session.credentials().expiration())
        .isAfter(Instant.now().plus(Duration.ofMinutes(55)));
    assertThat(session.assumedRoleUser().arn())
        .endsWith(":assumed-role/" + role.substring(role.indexOf('/') + 1) + "/triad-objects");
    assertThat(session.subjectFromWebIdentityToken()).isEqualTo(trusted);
  }

  @Test
  void anythingElse_should_beRefusedAsStsRefusesIt() {
    Map<String, String> refusals =
        Map.of(
            "another service account",
            code(
                role,
                token(
                    google,
                    c ->
                        with(
                            c,
                            Map.of(
                                "sub", "999999999999999999999", "azp", "999999999999999999999"))),
                3600),
            "a token for another audience",
            code(role, token(google, c -> with(c, Map.of("aud", "https://example.com"))), 3600),
            "an expired token",
            code(
                role,
                token(
                    google,
                    c -> with(c, Map.of("exp", Instant.now().minusSeconds(60).getEpochSecond()))),
                3600),
            "another signer",
            code(role, token(impostor, c -> c), 3600),
            "another issuer",
            code(
                role,
                token(google, c -> with(c, Map.of("iss", "https://sts.windows.net/t/"))),
                3600),
            "a role the stack does not have",
            code(
                role + "-other", token(google, c -> with(c, Map.of("aud", role + "-other"))), 3600),
            "a session longer than the role allows",
            code(role, token(google, c -> c), 7200));

    assertThat(refusals)
        .containsEntry("another service account", "AccessDenied")
        .containsEntry("a token for another audience", "AccessDenied")
        .containsEntry("an expired token", "ExpiredTokenException")
        .containsEntry("another signer", "InvalidIdentityToken")
        .containsEntry("another issuer", "InvalidIdentityToken")
        .containsEntry("a role the stack does not have", "AccessDenied")
        .containsEntry("a session longer than the role allows", "ValidationError");
    assertThat(sts.decisions()).hasSize(7).noneMatch(d -> d.status() == 200);
  }

  @Test
  void trustedAzureIdentity_should_getASession_forTokensForEntrasExchange() {
    AssumeRoleWithWebIdentityResponse session =
        assume(azureRole, entra.token("api://AzureADTokenExchange"), 3600);

    assertThat(session.credentials().accessKeyId()).isEqualTo("S3RVER");
    assertThat(session.provider()).isEqualTo(entra.issuer());
    assertThat(session.subjectFromWebIdentityToken())
        .isEqualTo(entra.claims("x").get("sub").toString());
  }

  @Test
  void anyOtherAzureToken_should_beRefusedAsStsRefusesIt() {
    String exchange = "api://AzureADTokenExchange";
    Map<String, String> refusals =
        Map.of(
            "another managed identity",
            code(
                azureRole,
                entra.sign(
                    with(
                        entra.claims(exchange),
                        Map.of(
                            "sub", "00000000-0000-4000-8000-00000000ffff",
                            "oid", "00000000-0000-4000-8000-00000000ffff"))),
                3600),
            "a token for Azure Resource Manager",
            code(azureRole, entra.token("https://management.azure.com"), 3600),
            "another tenant",
            code(
                azureRole,
                entra.sign(
                    with(
                        entra.claims(exchange),
                        Map.of(
                            "iss",
                            "https://login.microsoftonline.com/"
                                + "00000000-0000-4000-8000-00000000eeee/v2.0"))),
                3600),
            "another signer",
            code(azureRole, entraImpostor.token(exchange), 3600),
            "a Google token for the Azure role",
            code(azureRole, token(google, c -> with(c, Map.of("aud", azureRole))), 3600),
            "the Azure token for the GCP role",
            code(role, entra.token(exchange), 3600));

    assertThat(refusals)
        .containsEntry("another managed identity", "AccessDenied")
        .containsEntry("a token for Azure Resource Manager", "InvalidIdentityToken")
        .containsEntry("another tenant", "InvalidIdentityToken")
        .containsEntry("another signer", "InvalidIdentityToken")
        .containsEntry("a Google token for the Azure role", "AccessDenied")
        .containsEntry("the Azure token for the GCP role", "AccessDenied");
    assertThat(sts.decisions()).hasSize(6).noneMatch(d -> d.status() == 200);
  }

  private String token(GoogleMetadataDouble issuer, UnaryOperator<Map<String, Object>> change) {
    return issuer.sign(change.apply(google.claims(role)));
  }

  private static Map<String, Object> with(Map<String, Object> claims, Map<String, Object> changes) {
    Map<String, Object> changed = new java.util.LinkedHashMap<>(claims);
    changed.putAll(changes);
    return changed;
  }

  private AssumeRoleWithWebIdentityResponse assume(String roleArn, String token, int seconds) {
    return client.assumeRoleWithWebIdentity(
        b ->
            b.roleArn(roleArn)
                .roleSessionName("triad-objects")
                .webIdentityToken(token)
                .durationSeconds(seconds));
  }

  private String code(String roleArn, String token, int seconds) {
    try {
      assume(roleArn, token, seconds);
      return "granted";
    } catch (StsException e) {
      return e.awsErrorDetails().errorCode();
    }
  }
}
