package io.triad.s3;

import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.functions.store.ObjectKeys;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The suite's bucket on S3. A PUT is atomic on S3 (readers see the old object or the new one), so
 * every write is one request; the suite stages large outputs in a local file first.
 *
 * <p>{@link #putIfAbsent} sends {@code If-None-Match: *}, which S3 enforces: 412 when the key
 * exists, 409 {@code ConditionalRequestConflict} while another conditional write of it is in flight
 * (asked again shortly, when the other has finished or failed). The tests' emulator enforces both
 * as S3 does.
 */
public final class S3BlobStore implements BlobStore {
  /** How often a conditional write that met another in flight is tried, and the first pause. */
  private static final int CONFLICT_ATTEMPTS = 5;

  private static final java.time.Duration CONFLICT_PAUSE = java.time.Duration.ofMillis(100);

  private final S3Client s3;
  private final String bucket;

  public S3BlobStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public Optional<BlobInfo> head(String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(ObjectKeys.check(key)));
      return Optional.of(
          new BlobInfo(
              key, head.contentLength(), head.lastModified(), head.eTag(), head.metadata()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty(); // HEAD has no body, so S3 cannot say NoSuchKey
      }
      throw e;
    }
  }

  @Override
  public InputStream open(String key) throws NoSuchObjectException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(ObjectKeys.check(key)));
    } catch (NoSuchKeyException e) {
      throw new NoSuchObjectException(key);
    }
  }

  @Override
  public void put(String key, byte[] bytes, java.util.Map<String, String> metadata) {
    s3.putObject(
        b -> b.bucket(bucket).key(ObjectKeys.check(key)).metadata(metadata),
        RequestBody.fromBytes(bytes));
  }

  @Override
  public void put(String key, Path file, java.util.Map<String, String> metadata) {
    s3.putObject(
        b -> b.bucket(bucket).key(ObjectKeys.check(key)).metadata(metadata),
        RequestBody.fromFile(file));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    for (int attempt = 1; ; attempt++) {
      try {
        s3.putObject(
            b -> b.bucket(bucket).key(ObjectKeys.check(key)).ifNoneMatch("*"),
            RequestBody.fromBytes(bytes));
        return true;
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          return false;
        }
        if (e.statusCode() != 409 || attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
      try {
        Thread.sleep(CONFLICT_PAUSE.toMillis() * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating " + key, e);
      }
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    List<BlobInfo> blobs = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      blobs.add(new BlobInfo(object.key(), object.size(), object.lastModified(), object.eTag()));
    }
    return blobs; // S3 lists in UTF-8 binary key order, which is the order the interface promises
  }

  @Override
  public void copy(String from, String to) {
    s3.copyObject(
        b ->
            b.sourceBucket(bucket)
                .sourceKey(ObjectKeys.check(from))
                .destinationBucket(bucket)
                .destinationKey(ObjectKeys.check(to)));
  }

  @Override
  public void delete(String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(ObjectKeys.check(key)));
  }

  @Override
  public String uri() {
    return "s3://" + bucket;
  }
}
