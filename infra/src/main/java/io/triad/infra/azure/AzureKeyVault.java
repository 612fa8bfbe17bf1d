package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_key_vault}: where the signing key lives, with Azure RBAC (no access policies), so
 * one role assignment on one secret decides who may read it. Soft delete and purge protection keep
 * a deleted key recoverable.
 */
final class AzureKeyVault extends AzureResource {

  AzureKeyVault(
      Construct scope, String id, String name, AzureResourceGroup group, String tenantId) {
    super(
        scope,
        id,
        "azurerm_key_vault",
        Map.of(
            "name",
            name,
            "resource_group_name",
            group.name(),
            "location",
            group.location(),
            "tenant_id",
            tenantId,
            "sku_name",
            "standard",
            "rbac_authorization_enabled",
            true,
            "purge_protection_enabled",
            true,
            "soft_delete_retention_days",
            30));
  }

  /** {@code https://{name}.vault.azure.net/}, with the trailing slash. */
  String uri() {
    return attribute("vault_uri");
  }
}
