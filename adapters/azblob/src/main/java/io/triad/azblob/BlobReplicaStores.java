package io.triad.azblob;

import io.triad.functions.replication.ReplicaStores;
import io.triad.settings.TriadContract;
import java.net.URI;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * How another cloud's functions open an {@code azblob://ACCOUNT/CONTAINER} replica: as the
 * user-assigned identity {@code TRIAD_REPLICA_AZURE_CLIENT_ID} of tenant {@code
 * TRIAD_REPLICA_AZURE_TENANT}, with an OpenID Connect token of their own cloud as its federated
 * credential ({@link FederatedBlob}); any other scheme as {@code others} opens it. The settings are
 * read once, when the runtime registers it; a replica it cannot open stays pending with the reason.
 */
public final class BlobReplicaStores {
  private BlobReplicaStores() {}

  /**
   * @param settings the runtime's settings
   * @param caller what the Blob requests call themselves ({@code triad-CALLER})
   * @param assertions a source of fresh tokens the identity's federated credentials accept
   * @param others how every other scheme is opened
   */
  public static ReplicaStores of(
      UnaryOperator<String> settings,
      String caller,
      Supplier<String> assertions,
      ReplicaStores others) {
    String tenant = settings.apply(TriadContract.REPLICA_AZURE_TENANT);
    String clientId = settings.apply(TriadContract.REPLICA_AZURE_CLIENT_ID);
    URI authority = endpoint(settings.apply(TriadContract.REPLICA_ENTRA_AUTHORITY));
    URI blob = endpoint(settings.apply(TriadContract.REPLICA_BLOB_ENDPOINT));
    return uri -> {
      URI parsed = URI.create(uri);
      if (!AzureBlobStore.SCHEME.equals(parsed.getScheme())) {
        return others.open(uri);
      }
      if (tenant == null || tenant.isBlank() || clientId == null || clientId.isBlank()) {
        throw new IllegalArgumentException(
            "no Azure identity to write "
                + uri
                + " as ("
                + TriadContract.REPLICA_AZURE_TENANT
                + " and "
                + TriadContract.REPLICA_AZURE_CLIENT_ID
                + ")");
      }
      String path = parsed.getPath() == null ? "" : parsed.getPath().replaceAll("^/+|/+$", "");
      if (parsed.getHost() == null || path.isEmpty() || path.contains("/")) {
        throw new IllegalArgumentException("expected azblob://ACCOUNT/CONTAINER, got " + uri);
      }
      return new AzureBlobStore(
          FederatedBlob.container(
              new FederatedBlob.Identity(tenant, clientId, authority, blob),
              assertions,
              parsed.getHost(),
              path,
              caller));
    };
  }

  private static URI endpoint(String value) {
    return value == null || value.isBlank() ? null : URI.create(value);
  }
}
