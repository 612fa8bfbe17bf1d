package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.infra.config.ConfigLoader;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import io.triad.settings.TriadContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * README's "Deploy, step by step" against what it deploys: the stacks synthesized from the example
 * {@code infra/triad.yaml}. Every output and variable a step names exists, every name a step types
 * (secret, vault, container, image tag, data key) is the stack's, GCP's hand-enabled APIs are the
 * ones Terraform cannot enable itself, and every Azure resource type's provider is registered.
 */
class DeployStepsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(Cloud.class)
  void steps_should_nameOnlyWhatTheStackHas(Cloud cloud) throws Exception {
    String steps = steps(cloud);
    TriadConfig example =
        new ConfigLoader().load(Path.of(System.getProperty("triad.example.config")));
    JsonNode stack = exampleStack(example, cloud);

    for (String output : all(steps, "terraform output -raw ([a-z_]+)")) {
      assertThat(stack.path("output").has(output)).as("%s output %s", cloud, output).isTrue();
    }
    List<String> variables = all(steps, "-var ([a-z_]+)=");
    assertThat(variables).as("%s: the package variable", cloud).hasSize(1);
    assertThat(stack.path("variable").has(variables.get(0))).isTrue();
    String project = example.project();
    assertThat(steps).contains(BucketLayout.DATA + "iris/train.csv");
    String tag = example.training().trainerImageTag();
    switch (cloud) {
      case AWS -> {
        assertThat(steps).contains("--secret-id " + project + "-signing-key");
        assertThat(secretNames(stack, "aws_secretsmanager_secret", "name"))
            .contains(project + "-signing-key");
        // the budget filters on the provider's default tag, which must be activated by hand
        assertThat(stack.at("/provider/aws/0/default_tags/0/tags").has("project")).isTrue();
        assertThat(steps).contains("TagKey=project,Status=Active", "$REPO:" + tag);
      }
      case AZURE -> {
        assertThat(steps)
            .contains(
                "--vault-name " + project + "-keys",
                "--container-name triad",
                "$REGISTRY/" + TriadContract.TRAINER_IMAGE_NAME + ":" + tag);
        assertThat(secretNames(stack, "azurerm_key_vault", "name")).contains(project + "-keys");
        assertThat(secretNames(stack, "azurerm_storage_container", "name")).contains("triad");
        Set<String> registered = new TreeSet<>(all(steps, "(Microsoft\\.[A-Za-z]+)"));
        stack
            .path("resource")
            .fieldNames()
            .forEachRemaining(
                type -> {
                  // resource groups and role assignments: registered in every subscription
                  if (!type.equals("azurerm_resource_group") && !type.startsWith("azurerm_role_")) {
                    assertThat(registered)
                        .as("the resource provider of %s", type)
                        .contains(namespace(type));
                  }
                });
      }
      case GCP -> {
        assertThat(stack.at("/output/trainer_image/value").asText())
            .contains(TriadContract.TRAINER_IMAGE_NAME + ":" + tag);
        assertThat(steps)
            .contains("gcloud secrets versions add " + project + "-signing-key")
            .contains("set project " + example.gcp().project());
        assertThat(secretNames(stack, "google_secret_manager_secret", "secret_id"))
            .contains(project + "-signing-key");
        // Terraform enables every other API through these two
        List<String> byHand = all(steps, "([a-z]+)\\.googleapis\\.com");
        assertThat(byHand).containsExactly("serviceusage", "cloudresourcemanager");
        assertThat(
                stack
                    .path("resource")
                    .path("google_project_service")
                    .has("api-cloudresourcemanager"))
            .isTrue();
      }
    }
  }

  /** The resource provider namespace an azurerm type is made through. */
  private static String namespace(String type) {
    Map<String, String> byPrefix =
        Map.ofEntries(
            Map.entry("azurerm_batch_", "Microsoft.Batch"),
            Map.entry("azurerm_container_registry", "Microsoft.ContainerRegistry"),
            Map.entry("azurerm_eventgrid_", "Microsoft.EventGrid"),
            Map.entry("azurerm_key_vault", "Microsoft.KeyVault"),
            Map.entry("azurerm_function_app_flex_consumption", "Microsoft.Web"),
            Map.entry("azurerm_service_plan", "Microsoft.Web"),
            Map.entry("azurerm_storage_", "Microsoft.Storage"),
            Map.entry("azurerm_application_insights", "Microsoft.Insights"),
            Map.entry("azurerm_monitor_", "Microsoft.Insights"),
            Map.entry("azurerm_log_analytics_", "Microsoft.OperationalInsights"),
            Map.entry("azurerm_user_assigned_identity", "Microsoft.ManagedIdentity"),
            Map.entry("azurerm_federated_identity_credential", "Microsoft.ManagedIdentity"),
            Map.entry("azurerm_consumption_", "Microsoft.Consumption"),
            Map.entry("azurerm_virtual_network", "Microsoft.Network"),
            Map.entry("azurerm_subnet", "Microsoft.Network"),
            Map.entry("azurerm_public_ip", "Microsoft.Network"),
            Map.entry("azurerm_nat_gateway", "Microsoft.Network"));
    return byPrefix.entrySet().stream()
        .filter(e -> type.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("an unknown namespace for " + type);
  }

  private static List<String> secretNames(JsonNode stack, String type, String attribute) {
    List<String> names = new ArrayList<>();
    stack.path("resource").path(type).forEach(r -> names.add(r.path(attribute).asText()));
    return names;
  }

  private static JsonNode exampleStack(TriadConfig example, Cloud cloud) throws Exception {
    com.hashicorp.cdktf.App app = com.hashicorp.cdktf.Testing.app();
    return JSON.readTree(com.hashicorp.cdktf.Testing.synth(cloud.stack(app, example)));
  }

  private static String steps(Cloud cloud) throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("triad.readme", "../README.md")));
    String begin = "<!-- deploy:" + cloud.stackName() + " -->";
    String end = "<!-- /deploy:" + cloud.stackName() + " -->";
    assertThat(readme).as("README's deploy steps for %s", cloud).contains(begin, end);
    return readme.substring(readme.indexOf(begin), readme.indexOf(end));
  }

  private static List<String> all(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
