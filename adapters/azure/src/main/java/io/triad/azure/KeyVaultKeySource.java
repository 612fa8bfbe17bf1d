package io.triad.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.signing.KeySourceHttp;
import io.triad.functions.signing.SigningKeySource;
import io.triad.settings.AzureContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code azure-keyvault:https://VAULT.vault.azure.net/secrets/NAME}: the signing key as a Key Vault
 * secret, read over Key Vault's REST API (Get Secret, api-version {@value #API_VERSION}) with the
 * events app's managed identity, the only one given a role on the vault.
 */
public final class KeyVaultKeySource implements SigningKeySource {
  static final String API_VERSION = "7.4";
  private static final String SCOPE = "https://vault.azure.net/.default";
  private static final Pattern SECRET_PATH =
      Pattern.compile("/secrets/[0-9A-Za-z-]{1,127}(/[0-9a-f]{32})?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<String> accessToken;
  private final KeySourceHttp http = new KeySourceHttp();

  public KeyVaultKeySource(Supplier<String> accessToken) {
    this.accessToken = accessToken;
  }

  /** With the app's managed identity, through azure-identity's credential chain. */
  public static KeyVaultKeySource managedIdentity(Supplier<TokenCredential> credential) {
    return new KeyVaultKeySource(
        () -> credential.get().getTokenSync(new TokenRequestContext().addScopes(SCOPE)).getToken());
  }

  @Override
  public String scheme() {
    return AzureContract.KEY_VAULT_SCHEME;
  }

  @Override
  public String read(String location) throws IOException {
    URI secret = check(location);
    String token;
    try {
      token = accessToken.get();
    } catch (RuntimeException e) {
      throw new IOException("no Entra ID token for Key Vault: " + e.getMessage(), e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(secret + "?api-version=" + API_VERSION))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response =
          http.get().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + location, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = JSON.createObjectNode();
    }
    int status = response.statusCode();
    String message = body.at("/error/message").asText("HTTP " + status);
    if (status == 404) {
      throw new IllegalArgumentException(
          "Key Vault secret "
              + location
              + " does not exist: put the signing key in it (README, \"Signed model packages\")");
    }
    if (status >= 400 && status < 500 && status != 429) {
      throw new IllegalArgumentException(
          "Key Vault secret " + location + " cannot be read: " + message);
    }
    if (status != 200) {
      throw new IOException("Key Vault answered HTTP " + status + ": " + message);
    }
    String value = body.path("value").asText("");
    if (value.isBlank()) {
      throw new IllegalArgumentException("Key Vault secret " + location + " is empty");
    }
    return value;
  }

  /** A secret's URL in a vault, over HTTPS (plain HTTP only to this machine, for tests). */
  private static URI check(String location) {
    URI uri;
    try {
      uri = URI.create(location);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + location + "' is not a Key Vault secret URL");
    }
    boolean loopback = "http".equals(uri.getScheme()) && "127.0.0.1".equals(uri.getHost());
    if (!("https".equals(uri.getScheme()) || loopback)
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawPath() == null
        || !SECRET_PATH.matcher(uri.getRawPath()).matches()) {
      throw new IllegalArgumentException(
          "'"
              + location
              + "' is not a Key Vault secret URL (https://VAULT.vault.azure.net/secrets/NAME)");
    }
    return uri;
  }
}
