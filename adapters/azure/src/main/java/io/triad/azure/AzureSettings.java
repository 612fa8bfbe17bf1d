package io.triad.azure;

import io.triad.settings.AzureContract;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The Function App's application settings, by {@link AzureContract}'s names, which infra sets.
 *
 * @param container the blob container that is the bucket ({@code TRIAD_CONTAINER})
 * @param storageAccount the storage account, reached with the app's managed identity ({@code
 *     TRIAD_STORAGE_ACCOUNT})
 * @param storageConnection a connection string instead, for Azurite ({@code
 *     TRIAD_STORAGE_CONNECTION}), or null
 * @param batchAccount the Batch account name ({@code TRIAD_BATCH_ACCOUNT})
 * @param batchEndpoint the Batch account URL, {@code https://{account}.{region}.batch.azure.com}
 *     ({@code TRIAD_BATCH_ENDPOINT})
 * @param batchPool the pool retraining jobs run in ({@code TRIAD_BATCH_POOL})
 * @param trainerImage the trainer image a task runs in on the container pool ({@code
 *     TRIAD_TRAINER_IMAGE}); its ENTRYPOINT starts the trainer
 * @param trainerIdentity client id of the pool's managed identity the trainer reaches Blob storage
 *     with ({@code TRIAD_TRAINER_IDENTITY}), or null
 * @param batchPlacement what the pool's nodes are, as a placement names them ({@code
 *     TRIAD_BATCH_PLACEMENT}: {@code azure/LOCATION/spot} or {@code azure/LOCATION/on-demand}), or
 *     null
 */
public record AzureSettings(
    String container,
    String storageAccount,
    String storageConnection,
    String batchAccount,
    String batchEndpoint,
    String batchPool,
    String trainerImage,
    String trainerIdentity,
    String batchPlacement) {

  public static final String CONTAINER = AzureContract.CONTAINER;
  public static final String STORAGE_ACCOUNT = AzureContract.STORAGE_ACCOUNT;
  public static final String STORAGE_CONNECTION = AzureContract.STORAGE_CONNECTION;
  public static final String BATCH_ACCOUNT = AzureContract.BATCH_ACCOUNT;
  public static final String BATCH_ENDPOINT = AzureContract.BATCH_ENDPOINT;
  public static final String BATCH_POOL = AzureContract.BATCH_POOL;
  public static final String TRAINER_IMAGE = AzureContract.TRAINER_IMAGE;
  public static final String TRAINER_IDENTITY = AzureContract.TRAINER_IDENTITY;
  public static final String BATCH_PLACEMENT = AzureContract.BATCH_PLACEMENT;

  /**
   * Names this record reads by name; the catalog ({@code TRIAD_CATALOG}) binds through Spring like
   * any triad.* setting.
   */
  public static final List<String> NAMES =
      List.of(
          CONTAINER,
          STORAGE_ACCOUNT,
          STORAGE_CONNECTION,
          BATCH_ACCOUNT,
          BATCH_ENDPOINT,
          BATCH_POOL,
          TRAINER_IMAGE,
          TRAINER_IDENTITY,
          BATCH_PLACEMENT);

  public AzureSettings {
    if (blank(container)) {
      throw new IllegalArgumentException(
          "app setting "
              + CONTAINER
              + " is not set: name the blob container that holds the bucket");
    }
    if (blank(storageAccount) && blank(storageConnection)) {
      throw new IllegalArgumentException(
          "set "
              + STORAGE_ACCOUNT
              + " (managed identity) or "
              + STORAGE_CONNECTION
              + " (connection string)");
    }
  }

  /** Reads the settings by name; unset names are null. */
  public static AzureSettings from(UnaryOperator<String> setting) {
    return new AzureSettings(
        setting.apply(CONTAINER),
        setting.apply(STORAGE_ACCOUNT),
        setting.apply(STORAGE_CONNECTION),
        setting.apply(BATCH_ACCOUNT),
        setting.apply(BATCH_ENDPOINT),
        setting.apply(BATCH_POOL),
        setting.apply(TRAINER_IMAGE),
        setting.apply(TRAINER_IDENTITY),
        setting.apply(BATCH_PLACEMENT));
  }

  /**
   * The settings of this worker process: app settings arrive as environment variables; a JVM system
   * property of the same name wins, which is how a test in one JVM points the worker path at its
   * emulators.
   */
  public static AzureSettings fromProcess() {
    Map<String, String> env = System.getenv();
    return from(name -> System.getProperty(name, env.get(name)));
  }

  /** Whether Batch is configured; without it the timer reports that it cannot retrain. */
  public boolean hasBatch() {
    return !blank(batchEndpoint) && !blank(batchPool);
  }

  /** Whether the trainer image is named (the Batch launcher needs it). */
  public boolean hasTrainerImage() {
    return !blank(trainerImage);
  }

  /** Whether the trainer is told which of the pool's identities is its own. */
  public boolean hasTrainerIdentity() {
    return !blank(trainerIdentity);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
