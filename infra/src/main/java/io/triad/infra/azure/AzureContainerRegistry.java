package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_container_registry}: the trainer image; no admin user, pulls by managed identity.
 */
final class AzureContainerRegistry extends AzureResource {

  AzureContainerRegistry(Construct scope, String id, String name, AzureResourceGroup group) {
    super(
        scope,
        id,
        "azurerm_container_registry",
        Map.of(
            "name",
            name,
            "resource_group_name",
            group.name(),
            "location",
            group.location(),
            "sku",
            "Basic",
            "admin_enabled",
            false));
  }

  String loginServer() {
    return attribute("login_server");
  }
}
