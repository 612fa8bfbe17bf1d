package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_service_plan}: Linux, Flex Consumption ({@code FC1}): billed per execution, zero
 * when idle. Flex takes one app per plan.
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
            "FC1"));
  }
}
