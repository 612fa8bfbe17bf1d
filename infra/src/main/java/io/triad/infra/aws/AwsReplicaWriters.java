package io.triad.infra.aws;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import io.triad.infra.config.TriadConfig;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The role the GCP stack's functions assume to copy promotions into this bucket ({@code
 * replication.gcpToAws}), with no AWS key: STS {@code AssumeRoleWithWebIdentity} trades a Google ID
 * token for an hour's session. The trust policy admits exactly the configured service accounts, by
 * the token's {@code azp} ({@code accounts.google.com:aud}, which AWS maps to {@code azp} when the
 * token has one, as the metadata server's tokens do) and {@code sub}, and only tokens made out to
 * this role ({@code accounts.google.com:oaud}, the token's own {@code aud}). The role may read and
 * write the replicated models' packages and aliases, nothing else of the bucket, and list it: S3
 * answers a HEAD of a file not copied yet with 404 only to a caller that may list the bucket (403
 * to the rest), and a copy asks whether each file is there first.
 */
final class AwsReplicaWriters extends Construct {
  /** Google's issuer, which IAM knows without an OIDC provider resource. */
  static final String GOOGLE = "accounts.google.com";

  AwsReplicaWriters(
      Construct scope,
      String id,
      TriadConfig config,
      TriadConfig.GcpToAws route,
      AwsStorage storage,
      String accountId) {
    super(scope, id);
    String name = TriadConfig.GcpToAws.roleName(config.project());
    String arn = route.roleArn(config.project());
    IamRole role =
        new IamRole(
            this,
            "gcp-role",
            IamRoleConfig.builder()
                .name(name)
                .description("GCP functions copying promotions into the bucket (Google ID tokens)")
                .maxSessionDuration(3600)
                .assumeRolePolicy(trust(route.gcpWriters(), arn))
                .build());
    // the GCP stack names this role by replication.gcpToAws.awsAccount: that must be this account
    role.addOverride(
        "lifecycle.precondition",
        List.of(
            Map.of(
                "condition",
                com.hashicorp.cdktf.Token.asString(
                    com.hashicorp.cdktf.Op.eq(accountId, route.awsAccount())),
                "error_message",
                "replication.gcpToAws.awsAccount must be the account this stack deploys to")));
    IamPolicy policy = IamPolicy.create();
    policy.allow(
        "CopyPromotions",
        List.of("s3:GetObject", "s3:PutObject"),
        config.gcpToAwsModels().stream()
            .map(m -> storage.arn() + "/" + io.triad.layout.BucketLayout.MODELS + m + "/*")
            .toList());
    policy.allow("TellMissingFiles", List.of("s3:ListBucket"), List.of(storage.arn()));
    new IamRolePolicy(
        this,
        "gcp-policy",
        IamRolePolicyConfig.builder()
            .name(name + "-least-privilege")
            .role(role.getId())
            .policy(policy.json())
            .build());
    new TerraformOutput(
        scope, "gcp_replica_role", TerraformOutputConfig.builder().value(role.getArn()).build());
  }

  /** Who may assume the role: the listed service accounts, with tokens made out to it. */
  static String trust(List<String> serviceAccounts, String roleArn) {
    return IamPolicy.webIdentityTrust(
        "GcpFunctions",
        GOOGLE,
        Map.of(
            GOOGLE + ":aud", List.copyOf(serviceAccounts),
            GOOGLE + ":sub", List.copyOf(serviceAccounts),
            GOOGLE + ":oaud", roleArn));
  }
}
