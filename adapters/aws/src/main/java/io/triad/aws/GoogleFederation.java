package io.triad.aws;

import com.google.auth.oauth2.AwsSecurityCredentials;
import com.google.auth.oauth2.AwsSecurityCredentialsSupplier;
import com.google.auth.oauth2.ExternalAccountSupplierContext;
import io.triad.azblob.BlobReplicaStores;
import io.triad.functions.replication.ReplicaStores;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.gcs.FederatedGcs;
import io.triad.gcs.GcsReplicaStores;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * How the s3 and schedule functions write another cloud's replica. A {@code gs://} one: Google's
 * token exchange takes a {@code GetCallerIdentity} request signed with the function role's own
 * credentials (Lambda's, read as every other AWS client of the function reads them), asks AWS STS
 * who signed it, and gives the role a federated token if the GCP stack's AWS provider trusts it
 * ({@code replication.awsToGcp}); no Google key, and no AWS permission: anyone may ask AWS STS who
 * they are. An {@code azblob://} one: as the Azure stack's identity, with the role's token from AWS
 * STS as its federated credential ({@link RoleTokens}, {@code replication.awsToAzure}). Any other
 * scheme opens as the package's stores open it.
 */
final class GoogleFederation implements AwsSecurityCredentialsSupplier {
  private static final long serialVersionUID = 1L;

  /**
   * What the Blob requests call themselves ({@code triad-aws-replicas}): the Azure identity, not
   * one function, is who writes there.
   */
  static final String AZURE_CALLER = "aws-replicas";

  private final transient AwsCredentialsProvider credentials;
  private final String region;

  private GoogleFederation(AwsCredentialsProvider credentials, String region) {
    this.credentials = credentials;
    this.region = region;
  }

  /**
   * @param settings the function's settings ({@code TRIAD_REPLICA_GCP_AUDIENCE})
   * @param caller what the Cloud Storage requests call themselves
   * @param region the function's region: the request is signed for that region's STS endpoint
   * @param roleTokens the role's tokens for Entra's exchange
   */
  static ReplicaStores replicaStores(
      UnaryOperator<String> settings,
      String caller,
      AwsCredentialsProvider credentials,
      String region,
      Supplier<String> roleTokens) {
    GoogleFederation signer = new GoogleFederation(credentials, region);
    return GcsReplicaStores.of(
        settings,
        caller,
        provider -> FederatedGcs.aws(provider, signer),
        BlobReplicaStores.of(settings, AZURE_CALLER, roleTokens, BlobStoreProvider::openUri));
  }

  @Override
  public String getRegion(ExternalAccountSupplierContext context) {
    return region;
  }

  /** The role's credentials now (Lambda's session, renewed by Lambda), for one signature. */
  @Override
  public AwsSecurityCredentials getCredentials(ExternalAccountSupplierContext context) {
    AwsCredentials now = credentials.resolveCredentials();
    return new AwsSecurityCredentials(
        now.accessKeyId(),
        now.secretAccessKey(),
        now instanceof AwsSessionCredentials session ? session.sessionToken() : null);
  }
}
