package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformProvider;
import com.hashicorp.cdktf.TerraformProviderConfig;
import com.hashicorp.cdktf.TerraformProviderGeneratorMetadata;
import java.util.Map;
import software.constructs.Construct;

/** The azurerm provider, declared by hand: no prebuilt CDKTF bindings for it resolve here. */
final class AzurermProvider extends TerraformProvider {

  static final String VERSION = "~> 4.55";

  AzurermProvider(Construct scope, String id) {
    super(
        scope,
        id,
        TerraformProviderConfig.builder()
            .terraformResourceType("azurerm")
            .terraformProviderSource("hashicorp/azurerm")
            .terraformGeneratorMetadata(
                TerraformProviderGeneratorMetadata.builder()
                    .providerName("azurerm")
                    .providerVersionConstraint(VERSION)
                    .build())
            .build());
    addOverride("features", Map.of());
    // Containers on a keyless storage account can only be managed through Entra ID.
    addOverride("storage_use_azuread", true);
  }
}
