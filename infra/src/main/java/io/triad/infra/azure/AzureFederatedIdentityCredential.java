package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * {@code azurerm_federated_identity_credential}: a user-assigned identity trusts tokens of another
 * issuer for one subject and audience, which Entra then takes as that identity's client assertion.
 */
final class AzureFederatedIdentityCredential extends AzureResource {

  AzureFederatedIdentityCredential(
      Construct scope,
      String id,
      String name,
      AzureResourceGroup group,
      AzureUserAssignedIdentity identity,
      String issuer,
      String subject,
      String audience) {
    super(
        scope,
        id,
        "azurerm_federated_identity_credential",
        Map.of(
            "name",
            name,
            "resource_group_name",
            group.name(),
            "parent_id",
            identity.id(),
            "issuer",
            issuer,
            "subject",
            subject,
            "audience",
            List.of(audience)));
  }
}
