package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformDataSource;
import com.hashicorp.cdktf.TerraformProviderGeneratorMetadata;
import com.hashicorp.cdktf.TerraformResourceConfig;
import software.constructs.Construct;

/**
 * {@code data.azurerm_function_app_host_keys}: read once the app's host is running (the provider
 * waits for its keys), so what depends on it, the Event Grid subscription, is not made while the
 * freshly deployed package is still starting.
 */
final class AzureFunctionHostKeys extends TerraformDataSource {

  AzureFunctionHostKeys(
      Construct scope, String id, AzureFlexFunctionApp app, AzureResourceGroup group) {
    super(
        scope,
        id,
        TerraformResourceConfig.builder()
            .terraformResourceType("azurerm_function_app_host_keys")
            .terraformGeneratorMetadata(
                TerraformProviderGeneratorMetadata.builder().providerName("azurerm").build())
            .build());
    addOverride("name", app.name());
    addOverride("resource_group_name", group.name());
  }
}
