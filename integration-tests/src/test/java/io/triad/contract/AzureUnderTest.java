package io.triad.contract;

import io.triad.azure.AzureWorkerDriver;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import java.nio.file.Path;

/** Azure Functions through the worker's injector path, the host's messages as doubles, Blob storage on Azurite. */
final class AzureUnderTest implements RuntimeUnderTest, StoppableStorage {
  private final AzureWorkerDriver worker;

  AzureUnderTest(Path work, String container) throws Exception {
    this(work, container, false);
  }

  /** {@code durableStorage}: Azurite keeps its blobs on disk, for the outage drill. */
  AzureUnderTest(Path work, String container, boolean durableStorage) throws Exception {
    this.worker = new AzureWorkerDriver(work, container, durableStorage);
    new TestModels(worker.bucket()).publishIris("1");
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
    AzureWorkerDriver.HttpResult result = worker.http(request.method(), request.path(), request.headers(), request.body());
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
