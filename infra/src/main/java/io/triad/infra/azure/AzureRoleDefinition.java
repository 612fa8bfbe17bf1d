package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_role_definition}: a custom role when no built-in one is narrow enough. */
final class AzureRoleDefinition extends AzureResource {

  AzureRoleDefinition(
      Construct scope,
      String id,
      String name,
      String description,
      String scope_,
      List<String> actions,
      List<String> dataActions) {
    super(
        scope,
        id,
        "azurerm_role_definition",
        Map.of(
            "name", name,
            "description", description,
            "scope", scope_,
            "assignable_scopes", List.of(scope_),
            "permissions", Map.of("actions", actions, "data_actions", dataActions)));
  }

  String roleDefinitionResourceId() {
    return attribute("role_definition_resource_id");
  }
}
