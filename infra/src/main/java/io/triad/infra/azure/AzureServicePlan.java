package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_service_plan}: Linux, Consumption ({@code Y1}): billed per execution, zero when
 * idle.
 */
final class AzureServicePlan extends AzureResource {

  AzureServicePlan(Construct scope, String id, String name, AzureResourceGroup group) {
    super(
        scope,
        id,
        "azurerm_service_plan",
        Map.of(
            "name",
            name,
            "resource_group_name",
            group.name(),
            "location",
            group.location(),
            "os_type",
            "Linux",
            "sku_name",
            "Y1"));
  }
}
