package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The Blob client reached with the app's identity asks Entra for Storage's scope and no other: the
 * credential here is a double that records the scopes it is asked for and refuses to mint a token
 * (a managed identity cannot be had off Azure), so no request leaves the machine.
 */
class BlobContainersTest {
  @Test
  void builder_should_askEntraForStoragesScope_when_reachingTheAccountWithAnIdentity() {
    List<List<String>> asked = new CopyOnWriteArrayList<>();
    TokenCredential entra =
        request -> {
          asked.add(List.copyOf(request.getScopes()));
          return Mono.error(new IllegalStateException("no token off Azure"));
        };
    AzureSettings settings =
        new AzureSettings("triad", "triaddata", null, null, null, null, null, null, null);

    assertThatThrownBy(
            () ->
                BlobContainers.builder(settings, entra)
                    .buildClient()
                    .getBlobContainerClient("triad")
                    .exists())
        .hasStackTraceContaining("no token off Azure");
    assertThat(asked)
        .isNotEmpty()
        .allSatisfy(scopes -> assertThat(scopes).containsExactly(BlobContainers.STORAGE_SCOPE));
    assertThat(BlobContainers.STORAGE_SCOPE).isEqualTo("https://storage.azure.com/.default");
  }
}
