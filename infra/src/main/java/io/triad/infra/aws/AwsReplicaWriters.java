package io.triad.infra.aws;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProvider;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProviderConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * A role another cloud's functions assume to copy promotions into this bucket ({@code
 * replication.gcpToAws}, {@code replication.azureToAws}), with no AWS key: STS {@code
 * AssumeRoleWithWebIdentity} trades an OpenID Connect token of their own cloud for an hour's
 * session. The trust policy admits exactly the configured identities, and only tokens made out to
 * this role (Google) or to Entra's token exchange (Azure). The role may read and write the
 * replicated models' packages and aliases, nothing else of the bucket, and list it: S3 answers a
 * HEAD of a file not copied yet with 404 only to a caller that may list the bucket (403 to the
 * rest), and a copy asks whether each file is there first.
 */
final class AwsReplicaWriters extends Construct {
  /** Google's issuer, which IAM knows without an OIDC provider resource. */
  static final String GOOGLE = "accounts.google.com";

  private AwsReplicaWriters(
      Construct scope,
      String id,
      String source,
      String name,
      String description,
      String trust,
      String configPath,
      String awsAccount,
      List<String> models,
      AwsStorage storage,
      String accountId,
      String output) {
    super(scope, id);
    IamRole role =
        new IamRole(
            this,
            source + "-role",
            IamRoleConfig.builder()
                .name(name)
                .description(description)
                .maxSessionDuration(3600)
                .assumeRolePolicy(trust)
                .build());
    // the other stack names this role by the route's awsAccount: that must be this account
    role.addOverride(
        "lifecycle.precondition",
        List.of(
            Map.of(
                "condition",
                com.hashicorp.cdktf.Token.asString(
                    com.hashicorp.cdktf.Op.eq(accountId, awsAccount)),
                "error_message",
                configPath + ".awsAccount must be the account this stack deploys to")));
    IamPolicy policy = IamPolicy.create();
    policy.allow(
        "CopyPromotions",
        List.of("s3:GetObject", "s3:PutObject"),
        models.stream()
            .map(m -> storage.arn() + "/" + io.triad.layout.BucketLayout.MODELS + m + "/*")
            .toList());
    policy.allow("TellMissingFiles", List.of("s3:ListBucket"), List.of(storage.arn()));
    new IamRolePolicy(
        this,
        source + "-policy",
        IamRolePolicyConfig.builder()
            .name(name + "-least-privilege")
            .role(role.getId())
            .policy(policy.json())
            .build());
    new TerraformOutput(
        scope, output, TerraformOutputConfig.builder().value(role.getArn()).build());
  }

  /** The GCP functions' role: Google's issuer, the listed service accounts. */
  static void gcp(Construct scope, TriadConfig config, AwsStorage storage, String accountId) {
    TriadConfig.GcpToAws route = config.replication().gcpToAws();
    new AwsReplicaWriters(
        scope,
        "gcp-replica-writers",
        "gcp",
        route.roleName(config.project()),
        "GCP functions copying promotions into the bucket (Google ID tokens)",
        googleTrust(route.gcpWriters(), route.roleArn(config.project())),
        "replication.gcpToAws",
        route.awsAccount(),
        config.gcpToAwsModels(),
        storage,
        accountId,
        "gcp_replica_role");
  }

  /**
   * The Azure app's role: the tenant's issuer registered as an OpenID Connect provider (IAM trusts
   * no issuer but Google's, Amazon's and Facebook's without one), the listed managed identities.
   */
  static void azure(Construct scope, TriadConfig config, AwsStorage storage, String accountId) {
    TriadConfig.AzureToAws route = config.replication().azureToAws();
    IamOpenidConnectProvider entra =
        new IamOpenidConnectProvider(
            scope,
            "entra-issuer",
            IamOpenidConnectProviderConfig.builder()
                .url(route.issuer())
                .clientIdList(List.of(TriadConfig.AzureToAws.AUDIENCE))
                // the binding wants one; IAM has not needed it since 2023 for issuers whose
                // certificates a well-known authority signed, as Entra's are
                .thumbprintList(List.of())
                .build());
    entra.addOverride("thumbprint_list", null);
    new AwsReplicaWriters(
        scope,
        "azure-replica-writers",
        "azure",
        route.roleName(config.project()),
        "Azure functions copying promotions into the bucket (Entra managed identity tokens)",
        entraTrust(route, entra.getArn()),
        "replication.azureToAws",
        route.awsAccount(),
        config.azureToAwsModels(),
        storage,
        accountId,
        "azure_replica_role");
  }

  /** Who may assume the GCP role: the listed service accounts, with tokens made out to it. */
  static String googleTrust(List<String> serviceAccounts, String roleArn) {
    return IamPolicy.webIdentityTrust(
        "GcpFunctions",
        GOOGLE,
        Map.of(
            GOOGLE + ":aud", List.copyOf(serviceAccounts),
            GOOGLE + ":sub", List.copyOf(serviceAccounts),
            GOOGLE + ":oaud", roleArn));
  }

  /**
   * Who may assume the Azure role: the listed managed identities ({@code sub}, their object ids),
   * with tokens for Entra's token exchange ({@code aud}), from the provider of the tenant's issuer.
   * IAM names the claims after the provider's URL without its scheme.
   */
  static String entraTrust(TriadConfig.AzureToAws route, String providerArn) {
    String claims = route.issuer().substring("https://".length());
    return IamPolicy.webIdentityTrust(
        "AzureFunctions",
        providerArn,
        Map.of(
            claims + ":aud",
            TriadConfig.AzureToAws.AUDIENCE,
            claims + ":sub",
            List.copyOf(route.azureWriters())));
  }
}
