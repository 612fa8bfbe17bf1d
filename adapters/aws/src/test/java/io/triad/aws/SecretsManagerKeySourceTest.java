package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.aws.testing.SecretsManagerDouble;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.testing.TestModels;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upload function reads its signing key with the real SDK client, signed with SigV4, from a
 * Secrets Manager double (no Secrets Manager can run here; the double checks the signature and the
 * secret's readers as the service does).
 */
class SecretsManagerKeySourceTest {
  private static SecretsManagerDouble secrets;

  @BeforeAll
  static void start() throws Exception {
    // the test JVM's credentials are S3RVER/S3RVER (pom): the upload role, here
    secrets = SecretsManagerDouble.start(Map.of("S3RVER", "S3RVER", "OTHER", "OTHER"));
  }

  @AfterAll
  static void stop() {
    secrets.close();
  }

  private static SecretsManagerKeySource source() {
    AwsSettings settings =
        AwsSettings.from(Map.of(AwsSettings.SECRETS_ENDPOINT, secrets.endpoint().toString())::get);
    return new SecretsManagerKeySource(() -> AwsClients.secrets(settings, AwsClients.ANY_CALLER));
  }

  @Test
  void read_shouldReturnTheKey_whenThisRoleMayReadTheSecret() throws Exception {
    String arn = secrets.put("triad-signing-key", TestModels.SIGNING_KEY, Set.of("S3RVER"));

    String key = source().read(arn);

    assertThat(PackageSigner.fromText(key).keyId()).isEqualTo(TestModels.signer().keyId());
  }

  @Test
  void read_shouldRefuseWithReason_whenTheSecretPolicyNamesAnotherRole() {
    String arn = secrets.put("someone-elses", TestModels.SIGNING_KEY, Set.of("OTHER"));

    assertThatThrownBy(() -> source().read(arn))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read")
        .hasMessageContaining("not authorized");
  }

  @Test
  void read_shouldSayWhatToDo_whenTheSecretHasNoValueYet() {
    assertThatThrownBy(
            () -> source().read("arn:aws:secretsmanager:us-east-1:123456789012:secret:missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("put the signing key in it");
  }
}
