package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_storage_container}: private, the unit role assignments are scoped to. */
final class AzureStorageContainer extends AzureResource {

  AzureStorageContainer(Construct scope, String id, String name, AzureStorageAccount account) {
    super(
        scope,
        id,
        "azurerm_storage_container",
        Map.of(
            "name",
            name,
            "storage_account_name",
            account.name(),
            "container_access_type",
            "private"));
  }

  String name() {
    return attribute("name");
  }

  /** The ARM id ({@code .../blobServices/default/containers/NAME}), a role assignment scope. */
  String resourceManagerId() {
    return attribute("resource_manager_id");
  }
}
