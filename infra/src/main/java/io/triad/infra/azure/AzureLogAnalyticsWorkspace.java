package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_log_analytics_workspace}: where Application Insights keeps its data. */
final class AzureLogAnalyticsWorkspace extends AzureResource {

  AzureLogAnalyticsWorkspace(
      Construct scope, String id, String name, AzureResourceGroup group, int retentionDays) {
    super(
        scope,
        id,
        "azurerm_log_analytics_workspace",
        Map.of(
            "name",
            name,
            "resource_group_name",
            group.name(),
            "location",
            group.location(),
            "sku",
            "PerGB2018",
            "retention_in_days",
            retentionDays));
  }
}
