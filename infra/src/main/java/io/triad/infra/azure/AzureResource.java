package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformProviderGeneratorMetadata;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The base of the typed azurerm constructs: CDKTF's generic resource with the attributes set as
 * overrides, which synthesize exactly like generated bindings would. Subclasses take typed
 * arguments and expose typed references, so a stack never writes an attribute name.
 */
abstract class AzureResource extends TerraformResource {

  private static final TerraformProviderGeneratorMetadata AZURERM =
      TerraformProviderGeneratorMetadata.builder().providerName("azurerm").build();

  AzureResource(Construct scope, String id, String type, Map<String, ?> attributes) {
    super(
        scope,
        id,
        TerraformResourceConfig.builder()
            .terraformResourceType(type)
            .terraformGeneratorMetadata(AZURERM)
            .build());
    // Sorted, so the synthesized JSON is the same on every run.
    new TreeMap<>(attributes).forEach(this::addOverride);
  }

  /** The Azure resource id, as a Terraform reference. */
  public String id() {
    return getStringAttribute("id");
  }

  String attribute(String name) {
    return getStringAttribute(name);
  }
}
