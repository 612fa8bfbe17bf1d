package io.triad.gcs;

import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.auth.oauth2.AwsCredentials;
import com.google.auth.oauth2.AwsSecurityCredentialsSupplier;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.IdentityPoolCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cloud Storage client for the GCP stack's bucket, used by another cloud's functions with no
 * Google key anywhere: Google's Security Token Service exchanges a credential of the caller's own
 * cloud for a federated access token, as the GCP stack's workload identity provider allows, and the
 * bucket grants that federated principal the replicated models' prefixes (infra's {@code
 * GcpReplicaWriters}). On Azure the credential is the managed identity's Entra token (an OpenID
 * Connect provider: issuer, audience, attribute condition); on AWS it is a {@code
 * GetCallerIdentity} request signed with the function role's credentials, which Google sends to AWS
 * STS to learn the caller (an AWS provider: account, attribute condition on the role). The token
 * lasts an hour and is exchanged again before it ends.
 */
public final class FederatedGcs {
  /** Google's token exchange, where no other address is given. */
  public static final String GOOGLE_STS = "https://sts.googleapis.com/v1/token";

  /** The scope Google documents for federated tokens; the bucket's grants narrow it. */
  static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  private static final Pattern PROVIDER =
      Pattern.compile(
          "//iam\\.googleapis\\.com/projects/(\\d{1,20})/locations/global/"
              + "workloadIdentityPools/[a-z0-9-]{4,32}/providers/[a-z0-9-]{4,32}");

  private FederatedGcs() {}

  /**
   * @param provider the workload identity provider, {@code
   *     //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID}
   * @param stsEndpoint the token exchange's address, or null for Google's
   * @param gcsEndpoint Cloud Storage's address, or null for Google's
   */
  public record Provider(String provider, URI stsEndpoint, URI gcsEndpoint) {
    public Provider {
      if (provider == null || !PROVIDER.matcher(provider).matches()) {
        throw new IllegalArgumentException(
            "expected a workload identity provider such as //iam.googleapis.com/projects/NUMBER"
                + "/locations/global/workloadIdentityPools/POOL/providers/ID, got "
                + provider);
      }
    }

    /** The project that holds the pool, by number: the federated principal's project. */
    public String projectNumber() {
      Matcher matcher = PROVIDER.matcher(provider);
      if (!matcher.matches()) {
        throw new IllegalStateException(provider);
      }
      return matcher.group(1);
    }
  }

  /**
   * A client whose every request carries a federated token.
   *
   * @param subjectTokens a fresh OpenID Connect token each time it is asked (each exchange takes a
   *     new one)
   * @param caller what the User-Agent ends with ({@code triad/CALLER}), for the audit log and the
   *     tests' recorded calls
   */
  public static Storage storage(Provider provider, Supplier<String> subjectTokens, String caller) {
    return storage(provider, oidc(provider, subjectTokens), caller);
  }

  /**
   * Credentials that exchange an OpenID Connect token at the provider.
   *
   * @param subjectTokens a fresh token each time it is asked (each exchange takes a new one)
   */
  public static ExternalAccountCredentials oidc(Provider provider, Supplier<String> subjectTokens) {
    return IdentityPoolCredentials.newBuilder()
        .setAudience(provider.provider())
        .setSubjectTokenType(ExternalAccountCredentials.SubjectTokenTypes.JWT)
        .setTokenUrl(tokenUrl(provider))
        .setSubjectTokenSupplier(context -> subjectTokens.get())
        .setScopes(List.of(CLOUD_PLATFORM))
        .build();
  }

  /**
   * Credentials that exchange a signed AWS {@code GetCallerIdentity} request at the provider: the
   * library signs it (for AWS STS in the supplier's region, naming the provider in {@code
   * x-goog-cloud-target-resource}) with the credentials the supplier gives at each exchange.
   */
  public static ExternalAccountCredentials aws(
      Provider provider, AwsSecurityCredentialsSupplier awsCredentials) {
    return AwsCredentials.newBuilder()
        .setAudience(provider.provider())
        .setSubjectTokenType(ExternalAccountCredentials.SubjectTokenTypes.AWS4)
        .setTokenUrl(tokenUrl(provider))
        .setAwsSecurityCredentialsSupplier(awsCredentials)
        .setScopes(List.of(CLOUD_PLATFORM))
        .build();
  }

  private static String tokenUrl(Provider provider) {
    return provider.stsEndpoint() == null ? GOOGLE_STS : provider.stsEndpoint().toString();
  }

  /**
   * A client whose every request carries a federated token from {@code credentials} ({@link #oidc},
   * {@link #aws}).
   */
  public static Storage storage(
      Provider provider, ExternalAccountCredentials credentials, String caller) {
    StorageOptions.Builder options =
        StorageOptions.http()
            .setCredentials(credentials)
            // named, so the client never asks a metadata server that is not there for a project
            .setProjectId(provider.projectNumber())
            .setHeaderProvider(FixedHeaderProvider.create("user-agent", "triad/" + caller));
    if (provider.gcsEndpoint() != null) {
      options.setHost(provider.gcsEndpoint().toString());
    }
    return options.build().getService();
  }
}
