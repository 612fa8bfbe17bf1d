package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_monitor_metric_alert}: a metric total above a threshold within a window. */
final class AzureMonitorMetricAlert extends AzureResource {

  record Metric(String namespace, String name, String aggregation, int threshold) {}

  AzureMonitorMetricAlert(
      Construct scope,
      String id,
      String name,
      AzureResourceGroup group,
      String target,
      Metric metric,
      AzureMonitorActionGroup actions) {
    super(
        scope,
        id,
        "azurerm_monitor_metric_alert",
        Map.of(
            "name", name,
            "resource_group_name", group.name(),
            "scopes", List.of(target),
            "frequency", "PT5M",
            "window_size", "PT15M",
            "criteria",
                List.of(
                    Map.of(
                        "metric_namespace", metric.namespace(),
                        "metric_name", metric.name(),
                        "aggregation", metric.aggregation(),
                        "operator", "GreaterThan",
                        "threshold", metric.threshold())),
            "action", List.of(Map.of("action_group_id", actions.id()))));
  }
}
