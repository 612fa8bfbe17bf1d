package io.triad.azblob;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.ClientOptions;
import com.azure.identity.ClientAssertionCredential;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A Blob storage client for the Azure stack's container, used by another cloud's functions with no
 * Azure secret anywhere: Entra takes an OpenID Connect token of the caller's own cloud (on GCP, the
 * service account's Google ID token made out to Entra's token exchange) as the client assertion of
 * a user-assigned managed identity whose federated credentials trust that issuer and subject
 * (infra's {@code AzureReplicaWriters}), and answers with that identity's token for Storage; the
 * identity's role assignment allows the replicated models' paths only. Entra's token lasts about an
 * hour; azure-identity asks again, with a fresh assertion, before it ends.
 */
public final class FederatedBlob {
  /** Entra's public cloud, where no other authority is given. */
  public static final String ENTRA = "https://login.microsoftonline.com/";

  private static final Pattern GUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private FederatedBlob() {}

  /**
   * @param tenant the Entra tenant the identity lives in
   * @param clientId the user-assigned identity's client id
   * @param authority Entra's address, or null for the public cloud's
   * @param blobEndpoint the account's Blob endpoint, or null for {@code
   *     https://ACCOUNT.blob.core.windows.net}
   */
  public record Identity(String tenant, String clientId, URI authority, URI blobEndpoint) {
    public Identity {
      if (tenant == null || !GUID.matcher(tenant).matches()) {
        throw new IllegalArgumentException(
            "expected the Entra tenant's id (a GUID), got " + tenant);
      }
      if (clientId == null || !GUID.matcher(clientId).matches()) {
        throw new IllegalArgumentException(
            "expected the managed identity's client id (a GUID), got " + clientId);
      }
    }
  }

  /**
   * A client for {@code container} of {@code account} whose every request carries the identity's
   * token.
   *
   * @param assertions a fresh OpenID Connect token each time Entra is asked
   * @param caller what the User-Agent starts with ({@code triad-CALLER}), for the logs and the
   *     tests' recorded calls
   */
  public static BlobContainerClient container(
      Identity identity,
      Supplier<String> assertions,
      String account,
      String container,
      String caller) {
    // one HTTP client (and its selector thread) for Entra and Blob storage both
    com.azure.core.http.HttpClient http = new JdkHttpClientBuilder().build();
    ClientAssertionCredentialBuilder credential =
        new ClientAssertionCredentialBuilder()
            .tenantId(identity.tenant())
            .clientId(identity.clientId())
            .clientAssertion(assertions)
            .httpClient(http);
    if (identity.authority() != null) {
      // another authority than Entra's own: no instance discovery against the public cloud
      credential.authorityHost(identity.authority().toString()).disableInstanceDiscovery();
    }
    ClientAssertionCredential built = credential.build();
    String endpoint =
        (identity.blobEndpoint() == null
                ? "https://" + account + ".blob.core.windows.net"
                : identity.blobEndpoint().toString().replaceAll("/+$", ""))
            + "/"
            + container;
    return new BlobContainerClientBuilder()
        .endpoint(endpoint)
        .credential(built)
        .httpClient(http)
        .clientOptions(new ClientOptions().setApplicationId("triad-" + caller))
        .retryOptions(
            new RequestRetryOptions(
                RetryPolicyType.EXPONENTIAL, 3, Duration.ofSeconds(30), null, null, null))
        .buildClient();
  }
}
