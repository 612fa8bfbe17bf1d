package io.triad.infra.azure;

import io.triad.infra.config.TriadConfig;
import software.constructs.Construct;

/**
 * The Triad container on a keyless storage account (Entra ID only, TLS 1.2, no public blobs,
 * versioned), plus the Function App's own host storage account, kept apart so the host's key never
 * opens the data.
 */
final class AzureStorage extends Construct {

  static final String CONTAINER = "triad";

  private final AzureStorageAccount data;
  private final AzureStorageAccount host;
  private final AzureStorageContainer container;

  AzureStorage(Construct scope, String id, TriadConfig config, AzureResourceGroup group) {
    super(scope, id);
    String compact = AzureStack.compactName(config);
    data = new AzureStorageAccount(this, "data-account", compact + "data", group, true);
    container = new AzureStorageContainer(this, "container", CONTAINER, data);
    // The Functions host (and the Flex deployment container) reads its state with an account key.
    host = new AzureStorageAccount(this, "host-account", compact + "host", group, false);
  }

  AzureStorageAccount data() {
    return data;
  }

  AzureStorageAccount host() {
    return host;
  }

  AzureStorageContainer container() {
    return container;
  }
}
