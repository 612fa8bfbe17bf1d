package io.triad.s3;

import io.triad.functions.replication.ReplicaStores;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.settings.TriadContract;
import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * How another cloud's functions open an {@code s3://} replica: with the AWS role {@code
 * TRIAD_REPLICA_AWS_ROLE} in {@code TRIAD_REPLICA_AWS_REGION}, assumed with an OpenID Connect token
 * of their own cloud ({@link WebIdentityS3}); any other scheme as the package's stores open it. The
 * settings are read once, when the runtime registers it; a replica it cannot open stays pending
 * with the reason.
 */
public final class AwsReplicaStores {
  private AwsReplicaStores() {}

  /**
   * @param settings the runtime's settings
   * @param caller what the S3 requests call themselves ({@code triad/CALLER}): the role, not one
   *     function, is the AWS identity
   * @param sessionName the role session's name (the calling function)
   * @param tokens given the role's ARN, a source of fresh tokens the role's trust accepts
   */
  public static ReplicaStores of(
      UnaryOperator<String> settings,
      String caller,
      String sessionName,
      Function<String, Supplier<String>> tokens) {
    String role = settings.apply(TriadContract.REPLICA_AWS_ROLE);
    String region = settings.apply(TriadContract.REPLICA_AWS_REGION);
    URI sts = endpoint(settings.apply(TriadContract.REPLICA_STS_ENDPOINT));
    URI s3 = endpoint(settings.apply(TriadContract.REPLICA_S3_ENDPOINT));
    return uri -> {
      URI parsed = URI.create(uri);
      if (!"s3".equals(parsed.getScheme())) {
        return BlobStoreProvider.openUri(uri);
      }
      if (role == null || role.isBlank() || region == null || region.isBlank()) {
        throw new IllegalArgumentException(
            "no AWS role to write "
                + uri
                + " with ("
                + TriadContract.REPLICA_AWS_ROLE
                + " and "
                + TriadContract.REPLICA_AWS_REGION
                + ")");
      }
      if (parsed.getHost() == null || (parsed.getPath() != null && parsed.getPath().length() > 1)) {
        throw new IllegalArgumentException("expected s3://bucket, got " + uri);
      }
      return new S3BlobStore(
          WebIdentityS3.client(
              new WebIdentityS3.Role(role, region, sessionName, sts, s3),
              tokens.apply(role),
              caller),
          parsed.getHost());
    };
  }

  private static URI endpoint(String value) {
    return value == null || value.isBlank() ? null : URI.create(value);
  }
}
