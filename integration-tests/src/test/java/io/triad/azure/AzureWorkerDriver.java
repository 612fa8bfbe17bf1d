package io.triad.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.triad.azblob.AzureBlobStore;
import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.azure.FunctionsHostDoubles.Request;
import io.triad.azure.FunctionsHostDoubles.Response;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestKeyFile;
import io.triad.functions.testing.TestModels;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The Azure worker's path for the contract suite, with the adapter's own host doubles and Azurite.
 * It lives in the adapter's package because those doubles and the worker context's close are
 * package-private test seams, kept that way rather than widened for one caller.
 */
public final class AzureWorkerDriver implements AutoCloseable {
  private final Azurite azurite;
  private final BlobStore bucket;
  private final FunctionInstanceInjector injector;
  private final String container;
  private final java.util.Set<String> appSettingNames;

  /**
   * Starts Azurite with {@code container} and sets the app settings; the worker context starts on
   * first use.
   */
  public AzureWorkerDriver(Path work, String container) throws Exception {
    this(work, container, "iris", Map.of(), false);
  }

  /**
   * As above, with {@code models} as {@code TRIAD_CATALOG} and more app settings by name (Batch,
   * the timer schedule), all set before the worker context starts; {@code durable} keeps the blobs
   * on disk so the emulator can stop and come back with them.
   */
  public AzureWorkerDriver(
      Path work, String container, String models, Map<String, String> appSettings, boolean durable)
      throws Exception {
    this.container = container;
    this.azurite = Azurite.start(work.resolve("azurite"), durable);
    BlobContainerClient client;
    try {
      client =
          new BlobServiceClientBuilder()
              .connectionString(azurite.connectionString())
              // the test's own client, which the permission checks leave out
              .clientOptions(
                  new com.azure.core.util.ClientOptions()
                      .setApplicationId(io.triad.permissions.AzureCallRecorder.TEST_CLIENT))
              .httpClient(new JdkHttpClientBuilder().build())
              .buildClient()
              .createBlobContainer(container);
    } catch (RuntimeException e) {
      azurite.close();
      throw e;
    }
    this.bucket = new AzureBlobStore(client);
    System.setProperty(AzureSettings.CONTAINER, container);
    System.setProperty(AzureSettings.STORAGE_CONNECTION, azurite.connectionString());
    System.setProperty("triad.catalog", models);
    // the tests' keys; a deployed app reads its key from Key Vault (KeyVaultKeySourceTest)
    System.setProperty("triad.signing.trusted-keys", TestModels.TRUSTED_KEY);
    System.setProperty("triad.signing.key", "file:" + TestKeyFile.path());
    appSettings.forEach(System::setProperty);
    this.appSettingNames = java.util.Set.copyOf(appSettings.keySet());
    this.injector = ServiceLoader.load(FunctionInstanceInjector.class).findFirst().orElseThrow();
  }

  /** The container, for the test to put models and uploads in. */
  public BlobStore bucket() {
    return bucket;
  }

  /**
   * Azurite's connection string, which a process outside the worker (the trainer) reaches the
   * container with.
   */
  public String storageConnection() {
    return azurite.connectionString();
  }

  /** Status, headers and body as the {@code http} function answered them. */
  public record HttpResult(int status, Map<String, String> headers, byte[] body) {}

  /** Calls the {@code http} function as the host does for a binary-typed trigger. */
  public HttpResult http(String method, String path, Map<String, String> headers, byte[] body)
      throws Exception {
    Request request =
        new Request(
            HttpMethod.value(method.toUpperCase(Locale.ROOT)),
            URI.create("https://triad.azurewebsites.net" + path),
            headers,
            body.length == 0 ? null : body);
    // the serving app's function
    Response response =
        (Response)
            io.triad.permissions.AzureCallRecorder.as(
                "serve",
                () -> injector.getInstance(HttpEntry.class).run(request, new Invocation("http")));
    return new HttpResult(
        response.getStatusCode(),
        response.headers(),
        response.body() == null ? new byte[0] : (byte[]) response.body());
  }

  /**
   * Delivers the adapter's Event Grid fixture for {@code key} in this container to {@code
   * onObjectCreated}.
   */
  public void blobCreated(String key) throws Exception {
    String event =
        UploadEventsTest.event(key)
            .replace("/containers/triad/", "/containers/" + container + "/")
            .replace(".blob.core.windows.net/triad/", ".blob.core.windows.net/" + container + "/");
    io.triad.permissions.AzureCallRecorder.as(
        "functions",
        () -> {
          injector.getInstance(UploadEntry.class).run(event, new Invocation("onObjectCreated"));
          return null;
        });
  }

  /**
   * Fires the {@code onSchedule} timer with the payload the host sends when the NCRONTAB comes due.
   */
  public void timer() throws Exception {
    String timer =
        "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,\"IsPastDue\":false}";
    io.triad.permissions.AzureCallRecorder.as(
        "functions",
        () -> {
          injector.getInstance(ScheduleEntry.class).run(timer, new Invocation("onSchedule"));
          return null;
        });
  }

  /** Stops the Blob emulator, cutting off requests in flight, as an outage would. */
  public void stopStorage() throws InterruptedException {
    azurite.stop();
  }

  /** Brings a stopped Blob emulator back on the same endpoint. */
  public void restartStorage() throws Exception {
    azurite.restart();
  }

  @Override
  public void close() {
    try {
      TriadInstanceInjector.WorkerContext.close();
      AzureSettings.NAMES.forEach(System::clearProperty);
      appSettingNames.forEach(System::clearProperty);
      System.clearProperty("triad.catalog");
      System.clearProperty("triad.signing.trusted-keys");
      System.clearProperty("triad.signing.key");
    } finally {
      azurite.close();
    }
  }
}
