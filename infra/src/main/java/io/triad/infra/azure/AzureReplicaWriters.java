package io.triad.infra.azure;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Lets another cloud's promoting and catching-up functions copy promotions into this stack's
 * container with no Azure secret: a user-assigned identity whose federated credentials trust that
 * cloud's issuer for exactly the listed subjects and only for tokens made out to Entra's token
 * exchange. GCP's functions ({@code replication.gcpToAzure}) are Google's issuer and their service
 * accounts' unique ids (the Google ID token's {@code sub}); AWS's ({@code replication.awsToAzure})
 * are the account's outbound identity federation issuer and their roles' ARNs (the role token's
 * {@code sub}). Its one role assignment, Storage Blob Data Contributor on the container, is
 * narrowed by a condition to reading and writing the replicated models' packages and aliases, and
 * deleting nothing (the condition leaves listing the container open, as for the stack's own apps).
 */
final class AzureReplicaWriters extends Construct {

  /**
   * @param source the writing cloud, as the identity's name and the outputs say it
   * @param route the route's name in the configuration, for the precondition's message
   */
  private AzureReplicaWriters(
      Construct scope,
      String id,
      TriadConfig config,
      AzureResourceGroup group,
      AzureStorage storage,
      String source,
      String route,
      String tenant,
      String issuer,
      List<String> subjects) {
    super(scope, id);
    AzureClientConfig client = new AzureClientConfig(this, "client");
    AzureUserAssignedIdentity identity =
        new AzureUserAssignedIdentity(
            this, "identity", config.project() + "-" + source + "-replicas", group);
    // the other stack names the identity's tenant by the route's azureTenant: it must be this one
    identity.addOverride(
        "lifecycle.precondition",
        List.of(
            Map.of(
                "condition",
                "${" + client.getFqn() + ".tenant_id == \"" + tenant + "\"}",
                "error_message",
                route + ".azureTenant must be the tenant this stack deploys to")));
    for (int i = 0; i < subjects.size(); i++) {
      new AzureFederatedIdentityCredential(
          this,
          source + "-writer-" + i,
          source + "-writer-" + i,
          group,
          identity,
          issuer,
          subjects.get(i),
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
    String name = source + "_replica_client_id";
    TerraformOutput clientId =
        new TerraformOutput(
            this,
            name,
            TerraformOutputConfig.builder()
                .value(identity.clientId())
                .description(
                    "the identity the "
                        + source.toUpperCase(java.util.Locale.ROOT)
                        + " functions write the container as: "
                        + route
                        + ".azureClientId")
                .build());
    clientId.overrideLogicalId(name);
  }

  /** GCP's functions' identity, once their service accounts are known. */
  static void gcp(
      Construct scope, TriadConfig config, AzureResourceGroup group, AzureStorage storage) {
    TriadConfig.GcpToAzure route = config.replication().gcpToAzure();
    new AzureReplicaWriters(
        scope,
        "gcp-replica-writers",
        config,
        group,
        storage,
        "gcp",
        "replication.gcpToAzure",
        route.azureTenant(),
        TriadConfig.GcpToAzure.GOOGLE_ISSUER,
        route.gcpWriters());
  }

  /** AWS's functions' identity: their roles are named from the project, so known at once. */
  static void aws(
      Construct scope, TriadConfig config, AzureResourceGroup group, AzureStorage storage) {
    TriadConfig.AwsToAzure route = config.replication().awsToAzure();
    new AzureReplicaWriters(
        scope,
        "aws-replica-writers",
        config,
        group,
        storage,
        "aws",
        "replication.awsToAzure",
        route.azureTenant(),
        route.awsIssuer(),
        route.writerRoleArns(config.project()));
  }
}
