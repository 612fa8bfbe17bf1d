package io.triad.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.time.Duration;

/**
 * Builds the container client from the app settings: a connection string if given, else managed
 * identity.
 */
final class BlobContainers {
  /**
   * Three tries, 0.25 s then 0.5 s apart (capped at 2 s), 30 s each: the SDK's default waits 4, 8
   * and 16 s, holding a function instance for half a minute when storage is down, while the trigger
   * (Event Grid, the HTTP caller) retries by itself.
   */
  static final RequestRetryOptions RETRIES =
      new RequestRetryOptions(
          RetryPolicyType.EXPONENTIAL,
          3,
          Duration.ofSeconds(30),
          Duration.ofMillis(250),
          Duration.ofSeconds(2),
          null);

  /** The scope the Blob client asks Entra for: Storage's resource, without a trailing slash. */
  static final String STORAGE_SCOPE = "https://storage.azure.com/.default";

  private BlobContainers() {}

  static BlobContainerClient open(AzureSettings settings) {
    return builder(settings).buildClient().getBlobContainerClient(settings.container());
  }

  static BlobServiceClientBuilder builder(AzureSettings settings) {
    return builder(settings, null);
  }

  /**
   * As above; with no connection string, the account is reached with {@code identity} (the app's
   * managed identity when null), whose token the client asks Entra for Storage's scope, {@value
   * #STORAGE_SCOPE}.
   */
  static BlobServiceClientBuilder builder(AzureSettings settings, TokenCredential identity) {
    // the JDK's HTTP client: netty's native transport is not shipped (and not needed for a few
    // calls per event)
    HttpClient http = new JdkHttpClientBuilder().build();
    BlobServiceClientBuilder builder =
        new BlobServiceClientBuilder().httpClient(http).retryOptions(RETRIES);
    if (settings.storageConnection() != null && !settings.storageConnection().isBlank()) {
      return builder.connectionString(settings.storageConnection());
    }
    return builder
        .endpoint("https://" + settings.storageAccount() + ".blob.core.windows.net")
        .credential(identity != null ? identity : new DefaultAzureCredentialBuilder().build());
  }
}
