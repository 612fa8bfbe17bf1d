package io.triad.azblob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.store.ObjectKeys;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A blob container as the bucket. Block blobs become visible only when committed whole, so every
 * write is atomic; {@link #putIfAbsent} sends {@code If-None-Match: *} and lets the service decide.
 */
public final class AzureBlobStore implements BlobStore {
  private static final Duration COPY_POLL = Duration.ofMillis(100);

  /** How a container is named as a store: {@code azblob://ACCOUNT/CONTAINER}. */
  public static final String SCHEME = "azblob";

  private final BlobContainerClient container;
  private final String uri;

  public AzureBlobStore(BlobContainerClient container) {
    this.container = container;
    this.uri = SCHEME + "://" + container.getAccountName() + "/" + container.getBlobContainerName();
  }

  @Override
  public Optional<BlobInfo> head(String key) {
    try {
      BlobProperties p = blob(key).getProperties();
      return Optional.of(
          new BlobInfo(
              key, p.getBlobSize(), p.getLastModified().toInstant(), p.getETag(), p.getMetadata()));
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public InputStream open(String key) throws NoSuchObjectException {
    try {
      // the stream pins the ETag it first saw: a blob replaced mid-read fails instead of mixing
      // versions
      return blob(key).openInputStream();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        throw new NoSuchObjectException(key);
      }
      throw e;
    }
  }

  @Override
  public void put(String key, byte[] bytes, java.util.Map<String, String> metadata) {
    if (metadata.isEmpty()) {
      blob(key).upload(BinaryData.fromBytes(bytes), true);
      return;
    }
    blob(key)
        .uploadWithResponse(
            new BlobParallelUploadOptions(BinaryData.fromBytes(bytes)).setMetadata(metadata),
            null,
            Context.NONE);
  }

  @Override
  public void put(String key, Path file, java.util.Map<String, String> metadata) {
    try {
      if (metadata.isEmpty()) {
        blob(key).uploadFromFile(file.toString(), true);
      } else {
        blob(key)
            .uploadFromFileWithResponse(
                new com.azure.storage.blob.options.BlobUploadFromFileOptions(file.toString())
                    .setMetadata(metadata),
                null,
                Context.NONE);
      }
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("writing " + key + " to " + uri, e.getCause());
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    BlobParallelUploadOptions options =
        new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
    try {
      blob(key).uploadWithResponse(options, null, Context.NONE);
      return true;
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 409
          || e.getErrorCode() == BlobErrorCode.BLOB_ALREADY_EXISTS
          || e.getStatusCode() == 412) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    ObjectKeys.checkPrefix(prefix);
    // the service lists in key order already
    return container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream()
        .map(AzureBlobStore::info)
        .toList();
  }

  @Override
  public void copy(String from, String to) {
    BlobClient source = blob(from);
    try {
      // a server-side copy inside one account: the bytes never pass through the function
      blob(to).beginCopy(source.getBlobUrl(), COPY_POLL).waitForCompletion();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        throw new UncheckedIOException(new NoSuchObjectException(from));
      }
      throw e;
    }
  }

  @Override
  public void delete(String key) {
    blob(key).deleteIfExists();
  }

  @Override
  public String uri() {
    return uri;
  }

  private BlobClient blob(String key) {
    return container.getBlobClient(ObjectKeys.check(key));
  }

  private static BlobInfo info(BlobItem item) {
    var p = item.getProperties();
    return new BlobInfo(
        item.getName(),
        p.getContentLength() == null ? -1 : p.getContentLength(),
        p.getLastModified() == null ? null : p.getLastModified().toInstant(),
        p.getETag());
  }
}
