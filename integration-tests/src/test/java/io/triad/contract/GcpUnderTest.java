package io.triad.contract;

import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import io.triad.functions.testing.TestModels;
import io.triad.gcp.GcpApplication;
import io.triad.gcp.GcpRuntime;
import io.triad.gcp.GcsBlobStore;
import io.triad.gcp.HttpEntry;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcp.testing.LoopbackFunctionServer;

/**
 * Cloud Functions: {@link HttpEntry} under the Functions Framework's own {@code HttpFunctionExecutor}
 * on Jetty bound to 127.0.0.1, GCS as the adapter's tests fake it (in-memory {@code LocalStorageHelper}).
 */
final class GcpUnderTest implements RuntimeUnderTest {
  private final LoopbackFunctionServer server;
  private final LoopbackClient client;

  GcpUnderTest(String bucket) throws Exception {
    System.setProperty(GcpRuntime.BUCKET, bucket);
    System.setProperty(GcpApplication.MODELS, "iris");
    new TestModels(new GcsBlobStore(FakeGoogleCloud.storage(), bucket)).publishIris("1");
    this.server = new LoopbackFunctionServer(HttpFunctionExecutor.forClass(HttpEntry.class));
    this.client = new LoopbackClient(server.uri("/").toString());
  }

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public Answer send(ContractRequest request) throws Exception {
    return client.send(request);
  }

  @Override
  public void close() {
    server.close();
    System.clearProperty(GcpRuntime.BUCKET);
    System.clearProperty(GcpApplication.MODELS);
  }
}
