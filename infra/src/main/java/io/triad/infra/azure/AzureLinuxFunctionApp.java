package io.triad.infra.azure;

import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * {@code azurerm_linux_function_app}: Java, a system-assigned identity for data access, HTTPS only,
 * FTP off, the adapter package deployed as a zip.
 */
final class AzureLinuxFunctionApp extends AzureResource {

  static final String JAVA_VERSION = "17";

  record Settings(
      String name,
      AzureServicePlan plan,
      AzureStorageAccount hostStorage,
      String packagePath,
      String insightsConnectionString,
      int maxInstances,
      Map<String, String> appSettings) {}

  AzureLinuxFunctionApp(Construct scope, String id, AzureResourceGroup group, Settings settings) {
    super(
        scope,
        id,
        "azurerm_linux_function_app",
        Map.ofEntries(
            Map.entry("name", settings.name()),
            Map.entry("resource_group_name", group.name()),
            Map.entry("location", group.location()),
            Map.entry("service_plan_id", settings.plan().id()),
            Map.entry("storage_account_name", settings.hostStorage().name()),
            Map.entry("storage_account_access_key", settings.hostStorage().primaryAccessKey()),
            Map.entry("https_only", true),
            // an argument, not an app setting: set in app_settings it plans a change forever
            Map.entry("functions_extension_version", "~4"),
            Map.entry("zip_deploy_file", settings.packagePath()),
            Map.entry("identity", Map.of("type", "SystemAssigned")),
            Map.entry("app_settings", new TreeMap<>(settings.appSettings())),
            Map.entry(
                "site_config",
                Map.of(
                    "application_stack", Map.of("java_version", JAVA_VERSION),
                    "application_insights_connection_string", settings.insightsConnectionString(),
                    "app_scale_limit", settings.maxInstances(),
                    "ftps_state", "Disabled",
                    "minimum_tls_version", "1.2"))));
  }

  String principalId() {
    return attribute("identity.0.principal_id");
  }
}
