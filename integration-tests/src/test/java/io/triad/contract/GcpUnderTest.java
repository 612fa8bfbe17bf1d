package io.triad.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestKeyFile;
import io.triad.functions.testing.TestModels;
import io.triad.gcp.GcpRuntime;
import io.triad.gcp.HttpEntry;
import io.triad.gcp.UploadEntry;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcp.testing.LoopbackFunctionServer;
import io.triad.gcs.GcsBlobStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Cloud Functions: {@link HttpEntry} under the Functions Framework's own {@code
 * HttpFunctionExecutor} on Jetty bound to 127.0.0.1, GCS as the adapter's tests fake it (in-memory
 * {@code LocalStorageHelper}).
 */
final class GcpUnderTest implements RuntimeUnderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoopbackFunctionServer server;
  private final LoopbackClient client;
  private final LoopbackFunctionServer storageServer;
  private final LoopbackClient storageClient;
  private final GcsBlobStore bucket;
  private final String bucketName;

  GcpUnderTest(String bucket) throws Exception {
    this(bucket, "iris");
  }

  /**
   * With {@code models} as {@code TRIAD_CATALOG} (comma-separated) for every entry point started
   * while it runs.
   */
  GcpUnderTest(String bucket, String models) throws Exception {
    System.setProperty(GcpRuntime.BUCKET, bucket);
    System.setProperty("triad.catalog", models);
    // the tests' keys; a deployed function reads its key from Secret Manager
    // (SecretManagerKeySourceTest)
    System.setProperty("triad.signing.trusted-keys", TestModels.TRUSTED_KEY);
    System.setProperty("triad.signing.key", "file:" + TestKeyFile.path());
    this.bucketName = bucket;
    this.bucket = new GcsBlobStore(FakeGoogleCloud.storage(), bucket);
    new TestModels(this.bucket).publishIris("1");
    this.server = new LoopbackFunctionServer(HttpFunctionExecutor.forClass(HttpEntry.class));
    this.client = new LoopbackClient(server.uri("/").toString());
    this.storageServer =
        new LoopbackFunctionServer(BackgroundFunctionExecutor.forClass(UploadEntry.class));
    this.storageClient = new LoopbackClient(storageServer.uri("/").toString());
  }

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public BlobStore bucket() {
    return bucket;
  }

  /**
   * What the stack delivers for an upload: a Cloud Storage notification ({@code OBJECT_FINALIZE},
   * the object resource as {@code JSON_API_V1}) published to the uploads topic, pushed by Eventarc
   * as a binary-mode {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent.
   */
  @Override
  public void announce(String key) throws Exception {
    Map<String, String> headers =
        Map.of(
            "Content-Type",
            "application/json",
            "ce-specversion",
            "1.0",
            "ce-id",
            "contract-" + key.hashCode(),
            "ce-source",
            "//pubsub.googleapis.com/projects/triad-test/topics/triad-test-uploads",
            "ce-type",
            "google.cloud.pubsub.topic.v1.messagePublished");
    // read past the store's key rule: the drills announce keys the store would refuse
    com.google.cloud.storage.Blob blob = FakeGoogleCloud.storage().get(bucketName, key);
    long size = blob == null ? 0 : blob.getSize();
    String resource =
        JSON.writeValueAsString(
            Map.of(
                "kind",
                "storage#object",
                "bucket",
                bucketName,
                "name",
                key,
                "size",
                Long.toString(size),
                "generation",
                "1",
                "contentType",
                "application/octet-stream"));
    Map<String, String> attributes =
        Map.of(
            "bucketId", bucketName,
            "objectId", key,
            "eventType", "OBJECT_FINALIZE",
            "payloadFormat", "JSON_API_V1",
            "objectGeneration", "1");
    String object =
        JSON.writeValueAsString(
            Map.of(
                "message",
                Map.of(
                    "attributes",
                    attributes,
                    "data",
                    java.util.Base64.getEncoder()
                        .encodeToString(resource.getBytes(StandardCharsets.UTF_8)),
                    "messageId",
                    "contract-" + key.hashCode()),
                "subscription",
                "projects/triad-test/subscriptions/eventarc-uploads"));
    Answer answer =
        storageClient.send(
            new ContractRequest(
                "finalize " + key, "POST", "/", headers, object.getBytes(StandardCharsets.UTF_8)));
    if (answer.status() != 200) {
      throw new IllegalStateException(
          "the storage function answered " + answer.status() + ": " + answer.text());
    }
  }

  @Override
  public Answer send(ContractRequest request) throws Exception {
    return client.send(request);
  }

  @Override
  public void close() {
    server.close();
    storageServer.close();
    System.clearProperty(GcpRuntime.BUCKET);
    System.clearProperty("triad.catalog");
    System.clearProperty("triad.signing.trusted-keys");
    System.clearProperty("triad.signing.key");
  }
}
