package io.triad.contract;

/**
 * One runtime as the contract suite sees it: an HTTP front that takes a request and gives an
 * answer, whatever the runtime's own transport (a socket, an API Gateway event, a host double).
 */
interface RuntimeUnderTest extends AutoCloseable {

  /** How failures name this runtime. */
  String name();

  Answer send(ContractRequest request) throws Exception;

  /** Stops what the runtime started (servers, emulators, child processes). */
  @Override
  void close() throws java.io.IOException;
}
