package io.triad.gcs;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.store.ObjectKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A GCS bucket as the suite's {@link BlobStore}. GCS objects are immutable and a write becomes
 * visible whole when it is finalized, so every put is atomic without staging; {@link #putIfAbsent}
 * is the {@code ifGenerationMatch=0} precondition, decided by GCS itself.
 */
public final class GcsBlobStore implements BlobStore {
  private static final int PRECONDITION_FAILED = 412;
  private static final int NOT_FOUND = 404;

  private final Storage storage;
  private final String bucket;

  public GcsBlobStore(Storage storage, String bucket) {
    this.storage = storage;
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public Optional<BlobInfo> head(String key) {
    return Optional.ofNullable(storage.get(id(key))).map(GcsBlobStore::info);
  }

  @Override
  public InputStream open(String key) throws NoSuchObjectException {
    Blob blob = storage.get(id(key));
    if (blob == null) {
      throw new NoSuchObjectException(key);
    }
    // pinned to the generation just seen: a concurrent overwrite cannot splice two versions
    ReadChannel reader = storage.reader(blob.getBlobId());
    return Channels.newInputStream(reader);
  }

  @Override
  public void put(String key, byte[] bytes, java.util.Map<String, String> metadata) {
    storage.create(target(key, metadata), bytes);
  }

  @Override
  public void put(String key, Path file, java.util.Map<String, String> metadata) {
    try {
      storage.createFrom(target(key, metadata), file);
    } catch (IOException e) {
      throw new UncheckedIOException("uploading " + file + " to " + uri() + "/" + key, e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    try {
      storage.create(target(key), bytes, Storage.BlobTargetOption.doesNotExist());
      return true;
    } catch (StorageException e) {
      if (e.getCode() == PRECONDITION_FAILED) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    ObjectKeys.checkPrefix(prefix);
    List<BlobInfo> found = new ArrayList<>();
    storage
        .list(bucket, Storage.BlobListOption.prefix(prefix))
        .iterateAll()
        .forEach(blob -> found.add(info(blob)));
    // GCS itself lists in key order, but the in-memory fake (and any other backend) need not
    found.sort(java.util.Comparator.comparing(BlobInfo::key));
    return found;
  }

  @Override
  public void copy(String from, String to) {
    try {
      storage.copy(Storage.CopyRequest.of(id(from), target(to))).getResult();
    } catch (StorageException e) {
      if (e.getCode() == NOT_FOUND) {
        throw new UncheckedIOException(new NoSuchObjectException(from));
      }
      throw e;
    }
  }

  @Override
  public void delete(String key) {
    storage.delete(id(key));
  }

  @Override
  public String uri() {
    return "gs://" + bucket;
  }

  private BlobId id(String key) {
    return BlobId.of(bucket, ObjectKeys.check(key));
  }

  private com.google.cloud.storage.BlobInfo target(String key) {
    return target(key, java.util.Map.of());
  }

  private com.google.cloud.storage.BlobInfo target(
      String key, java.util.Map<String, String> metadata) {
    var builder =
        com.google.cloud.storage.BlobInfo.newBuilder(id(key)).setContentType(ContentTypes.of(key));
    return (metadata.isEmpty() ? builder : builder.setMetadata(metadata)).build();
  }

  private static BlobInfo info(Blob blob) {
    Instant updated =
        blob.getUpdateTimeOffsetDateTime() == null
            ? null
            : blob.getUpdateTimeOffsetDateTime().toInstant();
    long size = blob.getSize() == null ? -1 : blob.getSize();
    return new BlobInfo(blob.getName(), size, updated, blob.getEtag(), blob.getMetadata());
  }
}
