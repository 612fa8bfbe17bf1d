package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_eventgrid_system_topic}: the storage account's own events. */
final class AzureEventGridSystemTopic extends AzureResource {

  AzureEventGridSystemTopic(
      Construct scope,
      String id,
      String name,
      AzureResourceGroup group,
      AzureStorageAccount source) {
    super(
        scope,
        id,
        "azurerm_eventgrid_system_topic",
        Map.of(
            "name", name,
            "resource_group_name", group.name(),
            "location", group.location(),
            "source_arm_resource_id", source.id(),
            "topic_type", "Microsoft.Storage.StorageAccounts"));
  }

  String name() {
    return attribute("name");
  }
}
