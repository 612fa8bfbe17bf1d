package io.triad.contract;

import io.triad.functions.store.BlobStore;

/**
 * One runtime as the contract suite sees it: an HTTP front that takes a request and gives an
 * answer, whatever the runtime's own transport (a socket, an API Gateway event, a host double).
 */
interface RuntimeUnderTest extends AutoCloseable {

  /** How failures name this runtime. */
  String name();

  Answer send(ContractRequest request) throws Exception;

  /** The runtime's own bucket: where uploads go and outputs are read back. */
  BlobStore bucket();

  /**
   * Tells the runtime that {@code key}, already in its bucket, was created, as its platform does
   * (an S3 notification, an Event Grid event, a finalize CloudEvent); the local runtime's watcher
   * finds the file by itself.
   */
  void announce(String key) throws Exception;

  /** The end of the runtime's own log, for a failure message; empty where it keeps none. */
  default String logTail() {
    return "";
  }

  /** Stops what the runtime started (servers, emulators, child processes). */
  @Override
  void close() throws java.io.IOException;
}
