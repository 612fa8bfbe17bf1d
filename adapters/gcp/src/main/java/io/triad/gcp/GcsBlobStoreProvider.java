package io.triad.gcp;

import com.google.cloud.storage.StorageOptions;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.gcs.GcsBlobStore;
import java.net.URI;

/**
 * Opens {@code gs://bucket} with Application Default Credentials, so the trainer's {@code --store
 * gs://bucket} works inside a Cloud Batch job that has this jar on its class path.
 */
public final class GcsBlobStoreProvider implements BlobStoreProvider {

  @Override
  public String scheme() {
    return "gs";
  }

  @Override
  public BlobStore open(URI uri) {
    if (uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      throw new IllegalArgumentException("expected gs://BUCKET (the whole bucket), got " + uri);
    }
    return new GcsBlobStore(StorageOptions.getDefaultInstance().getService(), uri.getHost());
  }
}
