package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_monitor_action_group}: who is emailed when an alert fires. */
final class AzureMonitorActionGroup extends AzureResource {

  AzureMonitorActionGroup(
      Construct scope, String id, String name, AzureResourceGroup group, String email) {
    super(
        scope,
        id,
        "azurerm_monitor_action_group",
        Map.of(
            "name",
            name,
            "resource_group_name",
            group.name(),
            "short_name",
            name.length() > 12 ? name.substring(0, 12) : name,
            "email_receiver",
            List.of(
                Map.of(
                    "name",
                    "triad-alerts",
                    "email_address",
                    email,
                    "use_common_alert_schema",
                    true))));
  }
}
