package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_batch_account}: Batch-managed pools, Entra ID authentication only (no shared
 * keys).
 */
final class AzureBatchAccount extends AzureResource {

  AzureBatchAccount(Construct scope, String id, String name, AzureResourceGroup group) {
    super(
        scope,
        id,
        "azurerm_batch_account",
        Map.of(
            "name", name,
            "resource_group_name", group.name(),
            "location", group.location(),
            "pool_allocation_mode", "BatchService",
            "allowed_authentication_modes", List.of("AAD")));
  }

  String name() {
    return attribute("name");
  }

  String endpoint() {
    return attribute("account_endpoint");
  }
}
