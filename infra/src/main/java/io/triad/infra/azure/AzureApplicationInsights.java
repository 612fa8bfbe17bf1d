package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_application_insights}: the Function App's logs, traces and failures. */
final class AzureApplicationInsights extends AzureResource {

  AzureApplicationInsights(
      Construct scope,
      String id,
      String name,
      AzureResourceGroup group,
      AzureLogAnalyticsWorkspace workspace) {
    super(
        scope,
        id,
        "azurerm_application_insights",
        Map.of(
            "name", name,
            "resource_group_name", group.name(),
            "location", group.location(),
            "workspace_id", workspace.id(),
            "application_type", "java"));
  }

  String connectionString() {
    return attribute("connection_string");
  }
}
