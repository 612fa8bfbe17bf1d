package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.Testing;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.InvalidConfigException;
import io.triad.infra.config.TriadConfig;
import io.triad.infra.schema.ProviderSchemas;
import io.triad.infra.schema.SchemaCheck;
import io.triad.settings.TriadContract;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code telemetry.otlpEndpoint}: every function on every cloud is given the collector's address
 * ({@code TRIAD_OTLP_ENDPOINT}, which the functions read as {@code triad.otlp.endpoint}), in JSON
 * each provider's schema accepts; without it no function gets the setting.
 */
class TelemetrySettingsTest {
  private static final String ENDPOINT = "https://otel.example.com:4318";

  private static String testYaml() throws Exception {
    try (InputStream in = TelemetrySettingsTest.class.getResourceAsStream("/triad-test.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode synth(Cloud cloud, String yaml) throws Exception {
    TriadConfig config = new ConfigLoader().read("t.yaml", yaml);
    JsonNode root = new ObjectMapper().readTree(Testing.synth(cloud.stack(Testing.app(), config)));
    assertThat(SchemaCheck.problems(root, ProviderSchemas.of(cloud))).isEmpty();
    return root.path("resource");
  }

  /** The settings of every function of {@code cloud}'s stack. */
  private static List<JsonNode> settings(Cloud cloud, String yaml) throws Exception {
    JsonNode resources = synth(cloud, yaml);
    List<JsonNode> all = new ArrayList<>();
    switch (cloud) {
      case AWS ->
          resources
              .path("aws_lambda_function")
              .forEach(f -> all.add(f.at("/environment/variables")));
      case AZURE ->
          resources
              .path("azurerm_function_app_flex_consumption")
              .forEach(f -> all.add(f.path("app_settings")));
      case GCP ->
          resources
              .path("google_cloudfunctions2_function")
              .forEach(f -> all.add(f.at("/service_config/environment_variables")));
    }
    return all;
  }

  @Test
  void everyFunction_should_beGivenTheCollector_when_theConfigNamesOne() throws Exception {
    String yaml = testYaml() + "\ntelemetry:\n  otlpEndpoint: " + ENDPOINT + "\n";
    for (Cloud cloud : Cloud.values()) {
      List<JsonNode> functions = settings(cloud, yaml);
      assertThat(functions).as(cloud.name()).isNotEmpty();
      assertThat(functions)
          .as(cloud.name())
          .allSatisfy(
              env ->
                  assertThat(env.path(TriadContract.OTLP_ENDPOINT).asText()).isEqualTo(ENDPOINT));
    }
  }

  @Test
  void noFunction_should_getTheSetting_when_theConfigNamesNone() throws Exception {
    for (Cloud cloud : Cloud.values()) {
      assertThat(settings(cloud, testYaml()))
          .as(cloud.name())
          .isNotEmpty()
          .allSatisfy(env -> assertThat(env.has(TriadContract.OTLP_ENDPOINT)).isFalse());
    }
  }

  @Test
  void load_should_refuseTheEndpoint_when_itIsNotAnHttpAddress() throws Exception {
    String yaml = testYaml() + "\ntelemetry:\n  otlpEndpoint: \"grpc://collector:4317 x\"\n";
    assertThatThrownBy(() -> new ConfigLoader().read("t.yaml", yaml))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("telemetry.otlpEndpoint");
  }
}
