package io.triad.functions.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Opens a store from a URI, so one trainer entrypoint works against any bucket: {@code file:},
 * here; {@code s3:}, {@code gs:}, {@code azblob:} from the cloud adapters on the classpath.
 */
public interface BlobStoreProvider {

  /** The URI scheme this provider opens. */
  String scheme();

  BlobStore open(URI uri);

  /** Finds the provider for {@code uri}'s scheme on the classpath and opens the store. */
  static BlobStore openUri(String uri) {
    URI parsed = URI.create(uri);
    String scheme = parsed.getScheme() == null ? "file" : parsed.getScheme();
    if (scheme.equals("file")) {
      return new FileSystemBlobStore(parsed.getScheme() == null ? Path.of(uri) : Path.of(parsed));
    }
    for (BlobStoreProvider provider : ServiceLoader.load(BlobStoreProvider.class)) {
      if (provider.scheme().equals(scheme)) {
        return provider.open(parsed);
      }
    }
    throw new IllegalArgumentException("its package carries no store for " + scheme + ":// URIs");
  }
}
