package io.triad.gcs;

import com.google.auth.oauth2.ExternalAccountCredentials;
import io.triad.functions.replication.ReplicaStores;
import io.triad.settings.TriadContract;
import java.net.URI;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * How another cloud's functions open a {@code gs://} replica: through the GCP stack's workload
 * identity provider {@code TRIAD_REPLICA_GCP_AUDIENCE}, with a credential of their own cloud
 * ({@link FederatedGcs}); any other scheme as {@code others} opens it. The settings are read once,
 * when the runtime registers it; a replica it cannot open stays pending with the reason.
 */
public final class GcsReplicaStores {
  private GcsReplicaStores() {}

  /**
   * @param settings the runtime's settings
   * @param caller what the Cloud Storage requests call themselves ({@code triad/CALLER})
   * @param credentials what the provider accepts ({@link FederatedGcs#oidc}, {@link
   *     FederatedGcs#aws}), made when a replica is opened
   * @param others how every other scheme is opened
   */
  public static ReplicaStores of(
      UnaryOperator<String> settings,
      String caller,
      Function<FederatedGcs.Provider, ExternalAccountCredentials> credentials,
      ReplicaStores others) {
    String provider = settings.apply(TriadContract.REPLICA_GCP_AUDIENCE);
    URI sts = endpoint(settings.apply(TriadContract.REPLICA_GCP_STS_ENDPOINT));
    URI gcs = endpoint(settings.apply(TriadContract.REPLICA_GCS_ENDPOINT));
    return uri -> {
      URI parsed = URI.create(uri);
      if (!"gs".equals(parsed.getScheme())) {
        return others.open(uri);
      }
      if (provider == null || provider.isBlank()) {
        throw new IllegalArgumentException(
            "no workload identity provider to write "
                + uri
                + " through ("
                + TriadContract.REPLICA_GCP_AUDIENCE
                + ")");
      }
      if (parsed.getHost() == null || (parsed.getPath() != null && parsed.getPath().length() > 1)) {
        throw new IllegalArgumentException("expected gs://bucket, got " + uri);
      }
      FederatedGcs.Provider trusted = new FederatedGcs.Provider(provider, sts, gcs);
      return new GcsBlobStore(
          FederatedGcs.storage(trusted, credentials.apply(trusted), caller), parsed.getHost());
    };
  }

  private static URI endpoint(String value) {
    return value == null || value.isBlank() ? null : URI.create(value);
  }
}
