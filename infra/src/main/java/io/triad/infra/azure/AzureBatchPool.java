package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_batch_pool}: GPU nodes (NC-series) that run the trainer container, scaled by
 * pending tasks between zero and a maximum, on dedicated or low-priority (spot) capacity, with no
 * public IP ({@link AzureNodeNetwork}).
 */
final class AzureBatchPool extends AzureResource {

  record Settings(
      String name,
      String vmSize,
      boolean lowPriority,
      int maxNodes,
      String registryServer,
      AzureUserAssignedIdentity identity,
      String subnetId) {}

  AzureBatchPool(
      Construct scope,
      String id,
      AzureResourceGroup group,
      AzureBatchAccount account,
      Settings settings) {
    super(
        scope,
        id,
        "azurerm_batch_pool",
        Map.ofEntries(
            Map.entry("name", settings.name()),
            Map.entry("resource_group_name", group.name()),
            Map.entry("account_name", account.name()),
            Map.entry("vm_size", settings.vmSize()),
            Map.entry("max_tasks_per_node", 1),
            // The HPC image carries the NVIDIA driver and a container runtime that can see the GPU.
            Map.entry("node_agent_sku_id", "batch.node.ubuntu 22.04"),
            Map.entry(
                "storage_image_reference",
                Map.of(
                    "publisher",
                    "microsoft-dsvm",
                    "offer",
                    "ubuntu-hpc",
                    "sku",
                    "2204",
                    "version",
                    "latest")),
            Map.entry(
                "container_configuration",
                Map.of(
                    "type",
                    "DockerCompatible",
                    "container_registries",
                    List.of(registry(settings)))),
            Map.entry(
                "identity",
                Map.of("type", "UserAssigned", "identity_ids", List.of(settings.identity().id()))),
            // nodes without public IPs, in the stack's subnet; they call the Batch service,
            // which never calls them
            Map.entry(
                "network_configuration",
                Map.of(
                    "subnet_id",
                    settings.subnetId(),
                    "public_address_provisioning_type",
                    "NoPublicIPAddresses")),
            Map.entry("target_node_communication_mode", "Simplified"),
            Map.entry(
                "auto_scale",
                Map.of(
                    "evaluation_interval",
                    "PT5M",
                    "formula",
                    formula(settings.lowPriority(), settings.maxNodes())))));
  }

  /** Zero nodes with nothing to do; one node per pending task up to the maximum. */
  static String formula(boolean lowPriority, int maxNodes) {
    return String.join(
        "\n",
        "$pending = max(0, $PendingTasks.GetSample(1));",
        "$target = min(" + maxNodes + ", $pending);",
        "$TargetLowPriorityNodes = " + (lowPriority ? "$target" : "0") + ";",
        "$TargetDedicatedNodes = " + (lowPriority ? "0" : "$target") + ";",
        "$NodeDeallocationOption = taskcompletion;");
  }

  String name() {
    return attribute("name");
  }

  /**
   * One {@code container_registries} entry. It is an attribute-as-block, so in JSON every nested
   * argument must be present: the identity pulls, and {@code user_name} and {@code password} are
   * written as null.
   */
  private static Map<String, Object> registry(Settings settings) {
    Map<String, Object> registry = new java.util.LinkedHashMap<>();
    registry.put("registry_server", settings.registryServer());
    registry.put("user_assigned_identity_id", settings.identity().id());
    registry.put("user_name", com.hashicorp.cdktf.Token.nullValue());
    registry.put("password", com.hashicorp.cdktf.Token.nullValue());
    return registry;
  }
}
