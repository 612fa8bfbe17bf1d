package io.triad.infra.aws;

import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_ownership_controls.S3BucketOwnershipControls;
import com.hashicorp.cdktf.providers.aws.s3_bucket_ownership_controls.S3BucketOwnershipControlsConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_ownership_controls.S3BucketOwnershipControlsRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicy;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicyConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlock;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlockConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration;
import io.triad.infra.Json;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** The Triad bucket: versioned, encrypted, no public access, no ACLs, TLS only. */
final class AwsStorage extends Construct {

  private final S3Bucket bucket;

  /**
   * @param disposable a destroy empties the bucket of every object version first; otherwise S3
   *     refuses to delete a bucket that holds anything, and the destroy stops there
   */
  AwsStorage(Construct scope, String id, String bucketName, boolean disposable) {
    super(scope, id);
    S3BucketConfig.Builder config = S3BucketConfig.builder().bucket(bucketName);
    if (disposable) {
      config.forceDestroy(true);
    }
    bucket = new S3Bucket(this, "bucket", config.build());
    new S3BucketVersioningA(
        this,
        "versioning",
        S3BucketVersioningAConfig.builder()
            .bucket(bucket.getId())
            .versioningConfiguration(
                S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
            .build());
    new S3BucketServerSideEncryptionConfigurationA(
        this,
        "encryption",
        S3BucketServerSideEncryptionConfigurationAConfig.builder()
            .bucket(bucket.getId())
            .rule(
                List.of(
                    S3BucketServerSideEncryptionConfigurationRuleA.builder()
                        // SSE-S3: every principal that may read an object may decrypt it; no key
                        // policy to keep in step.
                        .applyServerSideEncryptionByDefault(
                            S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA
                                .builder()
                                .sseAlgorithm("AES256")
                                .build())
                        .build()))
            .build());
    S3BucketPublicAccessBlock publicAccess =
        new S3BucketPublicAccessBlock(
            this,
            "public-access-block",
            S3BucketPublicAccessBlockConfig.builder()
                .bucket(bucket.getId())
                .blockPublicAcls(true)
                .blockPublicPolicy(true)
                .ignorePublicAcls(true)
                .restrictPublicBuckets(true)
                .build());
    new S3BucketOwnershipControls(
        this,
        "ownership",
        S3BucketOwnershipControlsConfig.builder()
            .bucket(bucket.getId())
            .rule(
                S3BucketOwnershipControlsRule.builder()
                    .objectOwnership("BucketOwnerEnforced")
                    .build())
            .build());
    new S3BucketPolicy(
        this,
        "tls-only",
        S3BucketPolicyConfig.builder()
            .bucket(bucket.getId())
            .policy(tlsOnly())
            // S3 rejects a bucket policy written before the public access block settles.
            .dependsOn(List.of(publicAccess))
            .build());
  }

  private String tlsOnly() {
    return Json.render(
        Map.of(
            "Version",
            "2012-10-17",
            "Statement",
            List.of(
                Map.of(
                    "Sid", "DenyPlainHttp",
                    "Effect", "Deny",
                    "Principal", "*",
                    "Action", "s3:*",
                    "Resource", List.of(arn(), arn() + "/*"),
                    "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))));
  }

  String name() {
    return bucket.getBucket();
  }

  String arn() {
    return bucket.getArn();
  }

  S3Bucket bucket() {
    return bucket;
  }

  /** The ARN of every object under {@code prefix}, for one IAM statement. */
  String objects(String prefix) {
    return arn() + "/" + prefix + "*";
  }
}
