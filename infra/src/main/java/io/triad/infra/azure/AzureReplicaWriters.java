package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Lets GCP's promoting and catching-up functions copy promotions into this stack's container
 * ({@code replication.gcpToAzure}) with no Azure secret: a user-assigned identity whose federated
 * credentials trust Google's issuer for exactly the listed service accounts (by unique id, the
 * Google ID token's {@code sub}) and only for tokens made out to Entra's token exchange. Its one
 * role assignment, Storage Blob Data Contributor on the container, is narrowed by a condition to
 * reading and writing the replicated models' packages and aliases, and deleting nothing (the
 * condition leaves listing the container open, as for the stack's own apps). Made only once the
 * writers are known.
 */
final class AzureReplicaWriters extends Construct {

  AzureReplicaWriters(
      Construct scope,
      String id,
      TriadConfig config,
      AzureResourceGroup group,
      AzureStorage storage) {
    super(scope, id);
    AzureClientConfig client = new AzureClientConfig(this, "client");
    TriadConfig.GcpToAzure route = config.replication().gcpToAzure();
    AzureUserAssignedIdentity identity =
        new AzureUserAssignedIdentity(
            this, "identity", TriadConfig.GcpToAzure.identityName(config.project()), group);
    // the GCP stack names the identity's tenant by the route's azureTenant: it must be this one
    identity.addOverride(
        "lifecycle.precondition",
        List.of(
            Map.of(
                "condition",
                "${" + client.getFqn() + ".tenant_id == \"" + route.azureTenant() + "\"}",
                "error_message",
                "replication.gcpToAzure.azureTenant must be the tenant this stack deploys to")));
    for (int i = 0; i < route.gcpWriters().size(); i++) {
      new AzureFederatedIdentityCredential(
          this,
          "gcp-writer-" + i,
          "gcp-writer-" + i,
          group,
          identity,
          TriadConfig.GcpToAzure.GOOGLE_ISSUER,
          route.gcpWriters().get(i),
          TriadConfig.GcpToAzure.AUDIENCE);
    }
    List<String> packages =
        config.replication().models().stream().map(m -> BucketLayout.MODELS + m + "/").toList();
    AzureRoleAssignment.builtIn(
        this,
        "blob-access",
        "Storage Blob Data Contributor",
        storage.container().resourceManagerId(),
        identity.principalId(),
        BlobAccessCondition.readsWritesAndDeletes(packages, packages, List.of()));
    TerraformOutput clientId =
        new TerraformOutput(
            this,
            "gcp_replica_client_id",
            TerraformOutputConfig.builder()
                .value(identity.clientId())
                .description(
                    "the identity GCP's functions write the container as:"
                        + " replication.gcpToAzure.azureClientId")
                .build());
    clientId.overrideLogicalId("gcp_replica_client_id");
  }
}
