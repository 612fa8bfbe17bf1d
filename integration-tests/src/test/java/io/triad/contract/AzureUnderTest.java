package io.triad.contract;

import io.triad.azure.AzureWorkerDriver;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import java.nio.file.Path;
import java.util.Map;

/**
 * Azure Functions through the worker's injector path, the host's messages as doubles, Blob storage
 * on Azurite.
 */
final class AzureUnderTest implements RuntimeUnderTest, StoppableStorage {
  private final AzureWorkerDriver worker;

  AzureUnderTest(Path work, String container) throws Exception {
    this(new AzureWorkerDriver(work, container));
  }

  /** {@code durableStorage}: Azurite keeps its blobs on disk, for the outage drill. */
  AzureUnderTest(Path work, String container, boolean durableStorage) throws Exception {
    this(new AzureWorkerDriver(work, container, "iris", Map.of(), durableStorage));
  }

  /**
   * Over a worker of the caller's (other models, Batch settings); it is closed with this runtime.
   */
  AzureUnderTest(AzureWorkerDriver worker) {
    this.worker = worker;
    try {
      new TestModels(worker.bucket()).publishIris("1");
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
  }

  AzureWorkerDriver worker() {
    return worker;
  }

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public BlobStore bucket() {
    return worker.bucket();
  }

  @Override
  public void announce(String key) throws Exception {
    worker.blobCreated(key);
  }

  @Override
  public Answer send(ContractRequest request) throws Exception {
    AzureWorkerDriver.HttpResult result =
        worker.http(request.method(), request.path(), request.headers(), request.body());
    return new Answer(result.status(), result.headers(), result.body());
  }

  @Override
  public void stopStorage() throws Exception {
    worker.stopStorage();
  }

  @Override
  public void restartStorage() throws Exception {
    worker.restartStorage();
  }

  @Override
  public void close() {
    worker.close();
  }
}
