package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_storage_account}: StorageV2, HTTPS only with TLS 1.2 at least, no public blob
 * access; {@code keyless} accounts accept Entra ID only.
 */
final class AzureStorageAccount extends AzureResource {

  AzureStorageAccount(
      Construct scope, String id, String name, AzureResourceGroup group, boolean keyless) {
    super(
        scope,
        id,
        "azurerm_storage_account",
        Map.of(
            "name",
            name,
            "resource_group_name",
            group.name(),
            "location",
            group.location(),
            "account_kind",
            "StorageV2",
            "account_tier",
            "Standard",
            "account_replication_type",
            "ZRS",
            "min_tls_version",
            "TLS1_2",
            "https_traffic_only_enabled",
            true,
            "allow_nested_items_to_be_public",
            false,
            "shared_access_key_enabled",
            !keyless));
    if (keyless) {
      addOverride(
          "blob_properties",
          Map.of("versioning_enabled", true, "delete_retention_policy", Map.of("days", 7)));
    }
  }

  String name() {
    return attribute("name");
  }

  /** {@code https://{name}.blob.core.windows.net/}, with the trailing slash. */
  String blobEndpoint() {
    return attribute("primary_blob_endpoint");
  }

  String primaryAccessKey() {
    return attribute("primary_access_key");
  }
}
