package io.triad.infra.azure;

import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * {@code azurerm_function_app_flex_consumption}: Java on the Flex Consumption plan, a
 * system-assigned identity for data access, HTTPS only, the adapter package deployed as a zip into
 * its own deployment container. Flex, not Linux Consumption: a zip deploy there needs {@code
 * WEBSITE_RUN_FROM_PACKAGE=1}, which Linux Consumption does not support (the app would start with
 * no functions), and Linux Consumption takes no new features.
 */
final class AzureFlexFunctionApp extends AzureResource {

  static final String JAVA_VERSION = "17";

  /** Flex allows 40 to 1000 instances per app; a smaller cap is not possible there. */
  static final int MIN_MAX_INSTANCES = 40;

  record Settings(
      String name,
      AzureServicePlan plan,
      AzureStorageAccount hostStorage,
      AzureStorageContainer deployments,
      String packagePath,
      String insightsConnectionString,
      int maxInstances,
      int memoryMb,
      Map<String, String> appSettings) {}

  AzureFlexFunctionApp(Construct scope, String id, AzureResourceGroup group, Settings settings) {
    super(
        scope,
        id,
        "azurerm_function_app_flex_consumption",
        Map.ofEntries(
            Map.entry("name", settings.name()),
            Map.entry("resource_group_name", group.name()),
            Map.entry("location", group.location()),
            Map.entry("service_plan_id", settings.plan().id()),
            Map.entry("runtime_name", "java"),
            Map.entry("runtime_version", JAVA_VERSION),
            Map.entry("storage_container_type", "blobContainer"),
            Map.entry(
                "storage_container_endpoint",
                settings.hostStorage().blobEndpoint() + settings.deployments().name()),
            // the host account keeps its keys (the Functions host needs them); the data account
            // has none
            Map.entry("storage_authentication_type", "StorageAccountConnectionString"),
            Map.entry("storage_access_key", settings.hostStorage().primaryAccessKey()),
            Map.entry("https_only", true),
            Map.entry("zip_deploy_file", settings.packagePath()),
            Map.entry(
                "maximum_instance_count", Math.max(MIN_MAX_INSTANCES, settings.maxInstances())),
            Map.entry("instance_memory_in_mb", instanceMemory(settings.memoryMb())),
            Map.entry("identity", Map.of("type", "SystemAssigned")),
            Map.entry("app_settings", new TreeMap<>(settings.appSettings())),
            Map.entry(
                "site_config",
                Map.of(
                    "application_insights_connection_string",
                    settings.insightsConnectionString(),
                    "minimum_tls_version",
                    "1.2"))));
  }

  /** Flex's instance sizes: 512, 2048 or 4096 MB; the smallest that holds {@code memoryMb}. */
  static int instanceMemory(int memoryMb) {
    return memoryMb <= 512 ? 512 : memoryMb <= 2048 ? 2048 : 4096;
  }

  String name() {
    return attribute("name");
  }

  String principalId() {
    return attribute("identity.0.principal_id");
  }
}
