package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformDataSource;
import com.hashicorp.cdktf.TerraformProviderGeneratorMetadata;
import com.hashicorp.cdktf.TerraformResourceConfig;
import software.constructs.Construct;

/** {@code data.azurerm_client_config}: the tenant, and who runs Terraform. */
final class AzureClientConfig extends TerraformDataSource {

  AzureClientConfig(Construct scope, String id) {
    super(
        scope,
        id,
        TerraformResourceConfig.builder()
            .terraformResourceType("azurerm_client_config")
            .terraformGeneratorMetadata(
                TerraformProviderGeneratorMetadata.builder().providerName("azurerm").build())
            .build());
  }

  String tenantId() {
    return getStringAttribute("tenant_id");
  }

  /** The principal Terraform runs as, which puts the key's value in the vault. */
  String objectId() {
    return getStringAttribute("object_id");
  }
}
