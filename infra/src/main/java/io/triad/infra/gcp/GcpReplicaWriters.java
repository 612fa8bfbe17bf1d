package io.triad.infra.gcp;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.providers.google.data_google_project.DataGoogleProject;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool.IamWorkloadIdentityPool;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool.IamWorkloadIdentityPoolConfig;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool_provider.IamWorkloadIdentityPoolProvider;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool_provider.IamWorkloadIdentityPoolProviderConfig;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool_provider.IamWorkloadIdentityPoolProviderOidc;
import io.triad.infra.config.TriadConfig;
import io.triad.layout.BucketLayout;
import io.triad.settings.AzureContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.constructs.Construct;

/**
 * Lets the Azure events app copy promotions into this bucket ({@code replication.azureToGcp}) with
 * no Google key: a workload identity pool whose one provider trusts the Entra tenant's version 2.0
 * issuer, for tokens made out to Entra's token exchange and only for the listed object ids (its
 * attribute condition), maps each token's subject to {@code google.subject}; the bucket grants each
 * such federated principal the replicated models' packages and aliases, nothing else. Made only
 * once the writers are known.
 */
final class GcpReplicaWriters extends Construct {

  GcpReplicaWriters(Construct scope, String id, TriadConfig config, GcpStorage storage) {
    super(scope, id);
    TriadConfig.AzureToGcp route = config.replication().azureToGcp();
    String project = config.project();
    IamWorkloadIdentityPool pool =
        new IamWorkloadIdentityPool(
            this,
            "pool",
            IamWorkloadIdentityPoolConfig.builder()
                .workloadIdentityPoolId(TriadConfig.AzureToGcp.poolId(project))
                .displayName(project + " replica writers")
                .description("Other clouds' functions that copy Triad promotions into the bucket")
                .build());
    // the other stack names the provider, and this stack the principals, by the project's
    // number: it must be this project's
    DataGoogleProject current = new DataGoogleProject(this, "project");
    pool.addOverride(
        "lifecycle.precondition",
        List.of(
            Map.of(
                "condition",
                "${" + current.getFqn() + ".number == \"" + route.gcpProjectNumber() + "\"}",
                "error_message",
                "replication.azureToGcp.gcpProjectNumber must be the number of the project this"
                    + " stack deploys to")));
    IamWorkloadIdentityPoolProvider provider =
        new IamWorkloadIdentityPoolProvider(
            this,
            "azure",
            IamWorkloadIdentityPoolProviderConfig.builder()
                .workloadIdentityPoolId(pool.getWorkloadIdentityPoolId())
                .workloadIdentityPoolProviderId(TriadConfig.AzureToGcp.PROVIDER_ID)
                .displayName("Azure events app")
                .description("The Azure stack's events app, by its managed identity's object id")
                .oidc(
                    IamWorkloadIdentityPoolProviderOidc.builder()
                        .issuerUri(route.issuer())
                        .allowedAudiences(List.of(AzureContract.TOKEN_EXCHANGE_AUDIENCE))
                        .build())
                .attributeMapping(Map.of("google.subject", "assertion.sub"))
                .attributeCondition(
                    "assertion.sub in ["
                        + route.azureWriters().stream()
                            .map(w -> "'" + w + "'")
                            .collect(Collectors.joining(", "))
                        + "]")
                .build());
    List<String> packages =
        config.azureToGcpModels().stream().map(m -> BucketLayout.MODELS + m + "/").toList();
    for (int i = 0; i < route.azureWriters().size(); i++) {
      // objectUser: an alias file is replaced (create and delete); a copy reads each file back
      storage
          .grantWrite(
              "azure-replica-writer-" + i,
              route.principal(project, route.azureWriters().get(i)),
              "roles/storage.objectUser",
              packages)
          .setDependsOn(List.of(provider.getFqn()));
    }
    TerraformOutput audience =
        new TerraformOutput(
            this,
            "replica_provider",
            TerraformOutputConfig.builder()
                .value(route.provider(project))
                .description(
                    "what the Azure events app exchanges its Entra token at"
                        + " (TRIAD_REPLICA_GCP_AUDIENCE)")
                .build());
    audience.overrideLogicalId("replica_provider");
  }
}
