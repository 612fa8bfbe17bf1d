package io.triad.functions.replication;

import io.triad.functions.store.BlobStore;

/**
 * Opens a replica's store from its URI. A runtime registers one when it reaches some store in a way
 * of its own (GCP's functions write an {@code s3://} replica with a role assumed through their
 * Google identity); otherwise {@link io.triad.functions.store.BlobStoreProvider#openUri} opens the
 * schemes whose stores the package carries.
 */
@FunctionalInterface
public interface ReplicaStores {

  /**
   * @throws IllegalArgumentException when this runtime cannot open such a store
   */
  BlobStore open(String uri);
}
