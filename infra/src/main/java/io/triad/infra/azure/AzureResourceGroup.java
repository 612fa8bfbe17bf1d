package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/** {@code azurerm_resource_group}: everything of one deployment lives and dies together. */
final class AzureResourceGroup extends AzureResource {

  AzureResourceGroup(Construct scope, String id, String name, String location) {
    super(scope, id, "azurerm_resource_group", Map.of("name", name, "location", location));
  }

  String name() {
    return attribute("name");
  }

  String location() {
    return attribute("location");
  }
}
