package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.Testing;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.InvalidConfigException;
import io.triad.infra.config.TriadConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each stack's Terraform state goes where {@code state.{cloud}} says, locked; local otherwise. */
class StateBackendTest {
  private static final String STATE =
      """
      state:
        aws: {bucket: acme-tf-state, key: triad/aws.tfstate, region: eu-west-1, lockTable: tf-locks}
        azure: {resourceGroup: tf-state, storageAccount: acmetfstate, container: tfstate, key: triad/azure.tfstate}
        gcp: {bucket: acme-tf-state, prefix: triad/gcp}
      """;

  private static String testYaml() throws Exception {
    try (InputStream in = StateBackendTest.class.getResourceAsStream("/triad-test.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode backend(Cloud cloud, TriadConfig config) throws Exception {
    return new ObjectMapper()
        .readTree(Testing.synth(cloud.stack(Testing.app(), config)))
        .path("terraform")
        .path("backend");
  }

  @Test
  void stacks_should_useTheNamedRemoteBackends_when_stateIsConfigured() throws Exception {
    TriadConfig config = new ConfigLoader().read("t.yaml", testYaml() + STATE);

    JsonNode s3 = backend(Cloud.AWS, config).path("s3");
    JsonNode azurerm = backend(Cloud.AZURE, config).path("azurerm");
    JsonNode gcs = backend(Cloud.GCP, config).path("gcs");

    assertThat(s3.path("bucket").asText()).isEqualTo("acme-tf-state");
    assertThat(s3.path("key").asText()).isEqualTo("triad/aws.tfstate");
    assertThat(s3.path("encrypt").asBoolean()).isTrue();
    assertThat(s3.path("dynamodb_table").asText()).isEqualTo("tf-locks");
    assertThat(azurerm.path("storage_account_name").asText()).isEqualTo("acmetfstate");
    assertThat(azurerm.path("use_azuread_auth").asBoolean()).isTrue();
    assertThat(gcs.path("prefix").asText()).isEqualTo("triad/gcp");
  }

  @Test
  void stacks_should_keepLocalState_when_noStateIsConfigured() throws Exception {
    TriadConfig config = new ConfigLoader().read("t.yaml", testYaml());

    for (Cloud cloud : Cloud.values()) {
      assertThat(backend(cloud, config).path("local").path("path").asText())
          .as(cloud.name())
          .isEqualTo("terraform.tfstate");
    }
  }

  @Test
  void read_should_nameEachBadStateField_when_theyAreWrong() throws Exception {
    String bad =
        """
        state:
          aws: {bucket: Acme_State, key: /abs, region: eu-west-1}
          gcp: {bucket: ok-bucket, prefix: triad/gcp, extra: 1}
        """;

    assertThatThrownBy(() -> new ConfigLoader().read("t.yaml", testYaml() + bad))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("state.aws.bucket")
        .hasMessageContaining("state.aws.key")
        .hasMessageContaining("state.aws.lockTable: missing")
        .hasMessageContaining("state.gcp.extra: unknown field");
  }
}
