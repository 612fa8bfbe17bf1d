package io.triad.infra.azure;

import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_user_assigned_identity}: the identity the GPU pool's nodes and the trainer run as.
 */
final class AzureUserAssignedIdentity extends AzureResource {

  AzureUserAssignedIdentity(Construct scope, String id, String name, AzureResourceGroup group) {
    super(
        scope,
        id,
        "azurerm_user_assigned_identity",
        Map.of("name", name, "resource_group_name", group.name(), "location", group.location()));
  }

  String principalId() {
    return attribute("principal_id");
  }

  String clientId() {
    return attribute("client_id");
  }
}
