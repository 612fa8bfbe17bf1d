package io.triad.infra.gcp;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.providers.google.data_google_project.DataGoogleProject;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool.IamWorkloadIdentityPool;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool.IamWorkloadIdentityPoolConfig;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool_provider.IamWorkloadIdentityPoolProvider;
import com.hashicorp.cdktf.providers.google.iam_workload_identity_pool_provider.IamWorkloadIdentityPoolProviderAws;
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
 * Lets other clouds' functions copy promotions into this bucket with no Google key: one workload
 * identity pool, {@code PROJECT-replicas}, with a provider per route. The Azure events app's
 * ({@code replication.azureToGcp}) trusts the Entra tenant's version 2.0 issuer, for tokens made
 * out to Entra's token exchange and only for the listed object ids (its attribute condition), and
 * maps each token's subject to {@code google.subject}; AWS's ({@code replication.awsToGcp}) trusts
 * the AWS account, whose functions present their role's signed {@code GetCallerIdentity}, maps the
 * caller's role name to {@code attribute.aws_role} and admits the two copying roles only. The
 * bucket grants each such federated principal (or, for AWS, each role's principal set) the
 * replicated models' packages and aliases, nothing else. The Azure provider is made only once its
 * writers are known.
 */
final class GcpReplicaWriters extends Construct {

  GcpReplicaWriters(Construct scope, String id, TriadConfig config, GcpStorage storage) {
    super(scope, id);
    TriadConfig.AzureToGcp azure = config.replication().azureToGcp();
    TriadConfig.AwsToGcp aws = config.replication().awsToGcp();
    TriadConfig.IntoGcp any = aws != null ? aws : azure;
    String project = config.project();
    IamWorkloadIdentityPool pool =
        new IamWorkloadIdentityPool(
            this,
            "pool",
            IamWorkloadIdentityPoolConfig.builder()
                .workloadIdentityPoolId(TriadConfig.IntoGcp.poolId(project))
                .displayName(project + " replica writers")
                .description("Other clouds' functions that copy Triad promotions into the bucket")
                .build());
    // the other stacks name the providers, and this stack the principals, by the project's
    // number: it must be this project's
    DataGoogleProject current = new DataGoogleProject(this, "project");
    pool.addOverride(
        "lifecycle.precondition",
        List.of(
            Map.of(
                "condition",
                "${" + current.getFqn() + ".number == \"" + any.gcpProjectNumber() + "\"}",
                "error_message",
                "replication's gcpProjectNumber must be the number of the project this stack"
                    + " deploys to")));
    List<String> packages =
        config.intoGcpModels().stream().map(m -> BucketLayout.MODELS + m + "/").toList();
    if (azure != null && !azure.azureWriters().isEmpty()) {
      azure(pool, azure, project, storage, packages);
    }
    if (aws != null) {
      aws(pool, aws, project, storage, packages);
    }
    TerraformOutput audience =
        new TerraformOutput(
            this,
            "replica_provider",
            TerraformOutputConfig.builder()
                .value(any.provider(project))
                .description(
                    "what the other clouds' functions exchange their credential at"
                        + " (TRIAD_REPLICA_GCP_AUDIENCE); the pool's other providers differ in"
                        + " their last part only")
                .build());
    audience.overrideLogicalId("replica_provider");
  }

  private void azure(
      IamWorkloadIdentityPool pool,
      TriadConfig.AzureToGcp route,
      String project,
      GcpStorage storage,
      List<String> packages) {
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
                .attributeCondition("assertion.sub in " + quoted(route.azureWriters()))
                .build());
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
  }

  private void aws(
      IamWorkloadIdentityPool pool,
      TriadConfig.AwsToGcp route,
      String project,
      GcpStorage storage,
      List<String> packages) {
    List<String> roles = TriadConfig.AwsToGcp.writerRoles(project);
    IamWorkloadIdentityPoolProvider provider =
        new IamWorkloadIdentityPoolProvider(
            this,
            "aws",
            IamWorkloadIdentityPoolProviderConfig.builder()
                .workloadIdentityPoolId(pool.getWorkloadIdentityPoolId())
                .workloadIdentityPoolProviderId(TriadConfig.AwsToGcp.PROVIDER_ID)
                .displayName("AWS functions")
                .description("The AWS stack's s3 and schedule functions, by their roles")
                .aws(
                    IamWorkloadIdentityPoolProviderAws.builder()
                        .accountId(route.awsAccount())
                        .build())
                // the caller's ARN: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
                .attributeMapping(
                    Map.of(
                        "google.subject",
                        "assertion.arn",
                        TriadConfig.AwsToGcp.ROLE_ATTRIBUTE,
                        TriadConfig.AwsToGcp.ROLE_MAPPING))
                .attributeCondition(TriadConfig.AwsToGcp.ROLE_ATTRIBUTE + " in " + quoted(roles))
                .build());
    for (String role : roles) {
      storage
          .grantWrite(
              role.substring(project.length() + 1) + "-replica-writer",
              route.principalSet(project, role),
              "roles/storage.objectUser",
              packages)
          .setDependsOn(List.of(provider.getFqn()));
    }
  }

  /** {@code ['a', 'b']}, in Google's attribute condition language. */
  private static String quoted(List<String> values) {
    return "[" + values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ")) + "]";
  }
}
