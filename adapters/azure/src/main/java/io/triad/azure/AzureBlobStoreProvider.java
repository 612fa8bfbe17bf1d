package io.triad.azure;

import io.triad.azblob.AzureBlobStore;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import java.net.URI;

/**
 * Opens {@code azblob://{account}/{container}}, so the trainer's {@code --store} reaches the same
 * container the functions use: with the managed identity of the Batch node, or with {@code
 * TRIAD_STORAGE_CONNECTION} when that is set (Azurite).
 */
public final class AzureBlobStoreProvider implements BlobStoreProvider {
  public static final String SCHEME = AzureBlobStore.SCHEME;

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public BlobStore open(URI uri) {
    String account = uri.getHost();
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
    if (account == null || path.isEmpty() || path.contains("/")) {
      throw new IllegalArgumentException(
          "expected " + SCHEME + "://{account}/{container}, got " + uri);
    }
    String connection =
        System.getProperty(
            AzureSettings.STORAGE_CONNECTION, System.getenv(AzureSettings.STORAGE_CONNECTION));
    return new AzureBlobStore(
        BlobContainers.open(
            new AzureSettings(path, account, connection, null, null, null, null, null, null)));
  }
}
