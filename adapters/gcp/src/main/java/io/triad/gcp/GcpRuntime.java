package io.triad.gcp;

import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.triad.azblob.BlobReplicaStores;
import io.triad.functions.replication.ReplicaStores;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.functions.training.TrainingLauncher;
import io.triad.gcs.GcsBlobStore;
import io.triad.s3.AwsReplicaStores;
import io.triad.settings.GcpContract;
import io.triad.settings.TriadContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;

/**
 * What Google Cloud adds to the suite: the bucket named by {@code TRIAD_BUCKET} as the {@link
 * BlobStore} and Cloud Batch as the {@link TrainingLauncher}.
 *
 * <p>The SDK clients ({@link Storage}, {@link BatchServiceClient}) are beans registered only when
 * the context has none yet, so a test's initializer can put in-memory or loopback ones first. Both
 * are lazy: an HTTP-only instance never builds a Batch client, and Batch settings that are missing
 * fail the first retraining tick (with the variable's name), not every function's start.
 */
public final class GcpRuntime implements ApplicationContextInitializer<GenericApplicationContext> {
  /**
   * Optional: any store URI ({@code file:/dir}, {@code gs://b}) instead of {@code TRIAD_BUCKET}, to
   * run the jar off GCP.
   */
  public static final String STORE = GcpContract.STORE;

  public static final String BUCKET = GcpContract.BUCKET;

  @Override
  public void initialize(GenericApplicationContext context) {
    io.triad.functions.telemetry.OtlpSettings.nameService(context.getEnvironment(), "triad-gcp");
    if (!context.containsBeanDefinition("storage")) {
      context.registerBean(
          "storage",
          Storage.class,
          () ->
              StorageOptions.newBuilder()
                  .setHeaderProvider(
                      FixedHeaderProvider.create(
                          "user-agent",
                          "triad/"
                              + context
                                  .getEnvironment()
                                  .getProperty(GcpApplication.FUNCTION, "client")))
                  .build()
                  .getService(),
          bd -> bd.setLazyInit(true));
    }
    if (!context.containsBeanDefinition("batchServiceClient")) {
      context.registerBean(
          "batchServiceClient",
          BatchServiceClient.class,
          GcpRuntime::batchClient,
          bd -> bd.setLazyInit(true));
    }
    context.registerBean(BlobStore.class, () -> store(context));
    context.registerBean(ReplicaStores.class, () -> replicaStores(context.getEnvironment()));
    context.registerBean(
        SecretManagerKeySource.class,
        () ->
            SecretManagerKeySource.google(
                context.getEnvironment().getProperty(GcpContract.SECRETS_ENDPOINT)));
    context.registerBean(
        TrainingLauncher.class,
        () ->
            TrainingLauncher.lazy(
                GcpBatchLauncher.CLOUD,
                () ->
                    new GcpBatchLauncher(
                        context.getBean(BatchServiceClient.class),
                        BatchJobSettings.from(context.getEnvironment()::getProperty))));
  }

  private static BlobStore store(GenericApplicationContext context) {
    Environment env = context.getEnvironment();
    String uri = env.getProperty(STORE);
    if (uri != null && !uri.isBlank()) {
      return BlobStoreProvider.openUri(uri);
    }
    String bucket = env.getProperty(BUCKET);
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalStateException(
          BUCKET + " is not set: name the bucket the functions read and write");
    }
    return new GcsBlobStore(context.getBean(Storage.class), bucket);
  }

  /**
   * What the functions' S3 requests call themselves ({@code triad/gcp-replicas} in the User-Agent)
   * while they hold the replica role's session: the role, not one function, is the AWS identity.
   */
  public static final String REPLICA_CALLER = "gcp-replicas";

  /**
   * An {@code s3://} replica is written with the AWS role {@code TRIAD_REPLICA_AWS_ROLE}, assumed
   * with this function's Google ID token (audience: the role's ARN, which the role's trust policy
   * requires), the session named after the function; an {@code azblob://} replica as the Azure
   * stack's user-assigned identity {@code TRIAD_REPLICA_AZURE_CLIENT_ID}, with a Google ID token
   * made out to Entra's token exchange as its federated credential; any other scheme as the
   * package's stores open it. The settings are read once, when the context starts.
   */
  static ReplicaStores replicaStores(Environment env) {
    String metadata = env.getProperty(GcpContract.METADATA_HOST);
    return BlobReplicaStores.of(
        env::getProperty,
        REPLICA_CALLER,
        lazily(() -> new GoogleIdTokens(metadata, TriadContract.TOKEN_EXCHANGE_AUDIENCE)),
        AwsReplicaStores.of(
            env::getProperty,
            REPLICA_CALLER,
            "triad-" + env.getProperty(GcpApplication.FUNCTION, "client"),
            role -> new GoogleIdTokens(metadata, role)));
  }

  /** Tokens from a source made on first use: a function that copies nothing makes none. */
  private static java.util.function.Supplier<String> lazily(
      java.util.function.Supplier<GoogleIdTokens> source) {
    java.util.concurrent.atomic.AtomicReference<GoogleIdTokens> made =
        new java.util.concurrent.atomic.AtomicReference<>();
    return () -> made.updateAndGet(t -> t != null ? t : source.get()).get();
  }

  private static BatchServiceClient batchClient() {
    try {
      return BatchServiceClient.create();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud Batch client", e);
    }
  }
}
