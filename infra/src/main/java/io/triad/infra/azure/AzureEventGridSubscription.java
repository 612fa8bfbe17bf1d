package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_eventgrid_system_topic_event_subscription}: blob-created events whose subject
 * starts with one of the given prefixes, delivered one at a time to an Azure Function.
 */
final class AzureEventGridSubscription extends AzureResource {

  AzureEventGridSubscription(
      Construct scope,
      String id,
      String name,
      AzureResourceGroup group,
      AzureEventGridSystemTopic topic,
      String functionId,
      List<String> subjectPrefixes) {
    super(
        scope,
        id,
        "azurerm_eventgrid_system_topic_event_subscription",
        Map.of(
            "name", name,
            "resource_group_name", group.name(),
            "system_topic", topic.name(),
            "included_event_types", List.of("Microsoft.Storage.BlobCreated"),
            "azure_function_endpoint", Map.of("function_id", functionId, "max_events_per_batch", 1),
            "advanced_filter",
                Map.of(
                    "string_begins_with",
                    List.of(Map.of("key", "subject", "values", subjectPrefixes))),
            "retry_policy", Map.of("max_delivery_attempts", 10, "event_time_to_live", 1440)));
  }
}
