package io.triad.infra.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.infra.Cloud;
import io.triad.infra.SynthesizedStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every synthesized stack against the official schema of the provider version it pins (the prebuilt
 * CDKTF package of that version, see {@link ProviderSchema}); and the check itself, on the real
 * azurerm schema, failing on each kind of mistake with the JSON path of it.
 */
class ProviderSchemaTest {

  @ParameterizedTest
  @EnumSource(Cloud.class)
  void stack_should_matchItsProvidersSchema_when_synthesized(Cloud cloud) {
    ProviderSchema schema = ProviderSchemas.of(cloud);
    List<String> problems = SchemaCheck.problems(SynthesizedStack.of(cloud).root(), schema);
    assertThat(problems)
        .as("%s stack against %s %s", cloud, schema.provider(), schema.version())
        .isEmpty();
  }

  @Test
  void check_should_nameAnUnknownArgument_when_oneIsWritten() {
    ObjectNode stack = azure();
    Map.Entry<String, JsonNode> vault = only(stack, "azurerm_key_vault");
    ((ObjectNode) vault.getValue()).put("enable_soft_delete", true);

    assertThat(problems(stack))
        .containsExactly(
            "resource.azurerm_key_vault."
                + vault.getKey()
                + ".enable_soft_delete: unknown argument");
  }

  @Test
  void check_should_nameAMissingRequiredArgument_when_oneIsLeftOut() {
    ObjectNode stack = azure();
    Map.Entry<String, JsonNode> pool = only(stack, "azurerm_batch_pool");
    ((ObjectNode) pool.getValue()).remove("vm_size");

    assertThat(problems(stack))
        .containsExactly(
            "resource.azurerm_batch_pool." + pool.getKey() + ".vm_size: required argument missing");
  }

  @Test
  void check_should_nameAMissingKeyOfAnAttributeAsBlock_when_itIsWrittenLikeABlock() {
    ObjectNode stack = azure();
    Map.Entry<String, JsonNode> pool = only(stack, "azurerm_batch_pool");
    JsonNode configuration = pool.getValue().path("container_configuration");
    JsonNode first = configuration.isArray() ? configuration.get(0) : configuration;
    ObjectNode registry = (ObjectNode) first.path("container_registries").get(0);
    registry.remove("user_name");
    registry.remove("password");

    String at =
        "resource.azurerm_batch_pool."
            + pool.getKey()
            + ".container_configuration"
            + (configuration.isArray() ? "[0]" : "")
            + ".container_registries[0].";
    assertThat(problems(stack))
        .containsExactlyInAnyOrder(
            at
                + "password: missing; container_registries is an attribute, so every key of its"
                + " objects must be present (null where unset)",
            at
                + "user_name: missing; container_registries is an attribute, so every key of its"
                + " objects must be present (null where unset)");
  }

  @Test
  void check_should_nameWrongNesting_when_aBlockArgumentSitsOneLevelUp() {
    ObjectNode stack = azure();
    Map.Entry<String, JsonNode> app = first(stack, "azurerm_function_app_flex_consumption");
    ObjectNode body = (ObjectNode) app.getValue();
    body.set(
        "minimum_tls_version", body.path("site_config").path("minimum_tls_version").deepCopy());
    body.put("site_config", "${var.site}");

    assertThat(problems(stack))
        .containsExactlyInAnyOrder(
            "resource.azurerm_function_app_flex_consumption."
                + app.getKey()
                + ".minimum_tls_version: unknown argument",
            "resource.azurerm_function_app_flex_consumption."
                + app.getKey()
                + ".site_config: a block cannot be set from an expression (use a dynamic block)");
  }

  @Test
  void check_should_refuseTypesAndPinsTheSchemaDoesNotCover() {
    ObjectNode stack = azure();
    ((ObjectNode) stack.path("resource")).putObject("azurerm_batch_task").putObject("x");
    ((ObjectNode) stack.path("terraform").path("required_providers").path("azurerm"))
        .put("version", "~> 3.110");

    assertThat(problems(stack))
        .containsExactlyInAnyOrder(
            "terraform.required_providers.azurerm.version: '~> 3.110' does not admit 4.55.0,"
                + " whose schema this is",
            "resource.azurerm_batch_task: resource type unknown to azurerm 4.55.0");
  }

  @Test
  void check_should_refuseARequiredArgumentSetToNull() {
    ObjectNode stack = azure();
    Map.Entry<String, JsonNode> pool = only(stack, "azurerm_batch_pool");
    ((ObjectNode) pool.getValue()).set("node_agent_sku_id", NullNode.getInstance());
    ((ObjectNode) pool.getValue()).set("storage_image_reference", new ArrayNode(null));

    assertThat(problems(stack))
        .containsExactlyInAnyOrder(
            "resource.azurerm_batch_pool."
                + pool.getKey()
                + ".node_agent_sku_id: required argument missing",
            "resource.azurerm_batch_pool."
                + pool.getKey()
                + ".storage_image_reference: required block missing");
  }

  @Test
  void constraint_should_admitOnlyTheSchemasMinorAndLater() {
    assertThat(VersionConstraint.problem("~> 4.55", "4.55.0")).isEmpty();
    assertThat(VersionConstraint.problem("~> 4.55.0", "4.55.0")).isEmpty();
    assertThat(VersionConstraint.problem(">= 5.31, < 6.0", "5.99.1"))
        .hasValueSatisfying(p -> assertThat(p).contains("admits versions before 5.99"));
    assertThat(VersionConstraint.problem("5.4.0", "5.43.1"))
        .hasValueSatisfying(p -> assertThat(p).contains("does not admit 5.43.1"));
    assertThat(VersionConstraint.admits("~> 4.55", new int[] {5, 0, 0})).isFalse();
    assertThat(VersionConstraint.admits("~> 4.55.1", new int[] {4, 56, 0})).isFalse();
    assertThat(VersionConstraint.admits("~> 4.55.1", new int[] {4, 55, 9})).isTrue();
  }

  private static ObjectNode azure() {
    return SynthesizedStack.of(Cloud.AZURE).root().deepCopy();
  }

  private static List<String> problems(JsonNode stack) {
    return SchemaCheck.problems(stack, ProviderSchemas.of(Cloud.AZURE));
  }

  private static Map.Entry<String, JsonNode> only(JsonNode stack, String type) {
    List<Map.Entry<String, JsonNode>> all =
        stack.path("resource").path(type).properties().stream().toList();
    assertThat(all).as(type).hasSize(1);
    return all.get(0);
  }

  private static Map.Entry<String, JsonNode> first(JsonNode stack, String type) {
    return stack.path("resource").path(type).properties().iterator().next();
  }
}
