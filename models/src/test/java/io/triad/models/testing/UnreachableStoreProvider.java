package io.triad.models.testing;

import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * A store that cannot be reached ({@code unreachable://bucket}), as a cloud store is when its
 * endpoint resets the connection: the fault is not the job's, so another attempt may succeed.
 */
public final class UnreachableStoreProvider implements BlobStoreProvider {
  @Override
  public String scheme() {
    return "unreachable";
  }

  @Override
  public BlobStore open(URI uri) {
    throw new UncheckedIOException("opening " + uri, new IOException("Connection reset by peer"));
  }
}
