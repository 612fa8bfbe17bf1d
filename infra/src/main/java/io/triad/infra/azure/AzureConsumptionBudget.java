package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_consumption_budget_resource_group}: the project's monthly budget on its resource
 * group (everything the stack makes), with an email at 50% and 90% of actual cost and at 100% of
 * forecast cost. A budget starts on the first of a month: the month it is created in, after which
 * Terraform leaves the start alone.
 */
final class AzureConsumptionBudget extends AzureResource {

  AzureConsumptionBudget(
      Construct scope, String id, String name, AzureResourceGroup group, int usd, String email) {
    super(
        scope,
        id,
        "azurerm_consumption_budget_resource_group",
        Map.of(
            "name",
            name,
            "resource_group_id",
            group.id(),
            "amount",
            usd,
            "time_grain",
            "Monthly",
            "time_period",
            Map.of("start_date", "${formatdate(\"YYYY-MM-01'T'00:00:00Z\", timestamp())}"),
            "notification",
            List.of(
                notification("Actual", 50, email),
                notification("Actual", 90, email),
                notification("Forecasted", 100, email)),
            "lifecycle",
            Map.of("ignore_changes", List.of("time_period"))));
  }

  private static Map<String, Object> notification(String type, int percent, String email) {
    return Map.of(
        "enabled",
        true,
        "threshold",
        percent,
        "operator",
        "GreaterThan",
        "threshold_type",
        type,
        "contact_emails",
        List.of(email));
  }
}
