package io.triad.gcp;

import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.cloud.batch.v1.BatchServiceClient;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.functions.training.TrainingLauncher;
import io.triad.settings.GcpContract;
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

  private static BatchServiceClient batchClient() {
    try {
      return BatchServiceClient.create();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud Batch client", e);
    }
  }
}
