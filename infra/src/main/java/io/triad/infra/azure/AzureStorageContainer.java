package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_storage_container}: private, the unit role assignments are scoped to. Made through
 * Azure Resource Manager ({@code storage_account_id}), not the data plane: the deployer needs no
 * data role on an account that only Entra ID opens, and none to wait for.
 */
final class AzureStorageContainer extends AzureResource {

  AzureStorageContainer(Construct scope, String id, String name, AzureStorageAccount account) {
    super(
        scope,
        id,
        "azurerm_storage_container",
        Map.of(
            "name", name, "storage_account_id", account.id(), "container_access_type", "private"));
  }

  String name() {
    return attribute("name");
  }

  /** The ARM id ({@code .../blobServices/default/containers/NAME}), a role assignment scope. */
  String resourceManagerId() {
    return id();
  }
}
