package io.triad.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/** Builds the container client from the app settings: a connection string if given, else managed identity. */
final class BlobContainers {
  private BlobContainers() {}

  static BlobContainerClient open(AppSettings settings) {
    return builder(settings).buildClient().getBlobContainerClient(settings.container());
  }

  static BlobServiceClientBuilder builder(AppSettings settings) {
    // the JDK's HTTP client: netty's native transport is not shipped (and not needed for a few calls per event)
    HttpClient http = new JdkHttpClientBuilder().build();
    BlobServiceClientBuilder builder = new BlobServiceClientBuilder().httpClient(http);
    if (settings.storageConnection() != null && !settings.storageConnection().isBlank()) {
      return builder.connectionString(settings.storageConnection());
    }
    return builder
        .endpoint("https://" + settings.storageAccount() + ".blob.core.windows.net")
        .credential(new DefaultAzureCredentialBuilder().build());
  }
}
