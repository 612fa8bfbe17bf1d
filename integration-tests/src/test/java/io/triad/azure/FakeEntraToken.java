package io.triad.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.triad.functions.ContextExtension;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.context.support.GenericApplicationContext;
import reactor.core.publisher.Mono;

/**
 * Stands in for the Function App's managed identity, which cannot be had off Azure: while a test
 * has {@link #use}d a token, every context that starts gets a credential answering with it, which
 * {@link AzureRuntime} then uses for its Batch calls instead of {@code DefaultAzureCredential}.
 * Listed in the test class path's {@code META-INF/services} as a {@code ContextExtension}, since
 * the worker's context is started by the injector, not by the test; runs first, so {@code
 * AzureRuntime} sees the bean.
 */
public final class FakeEntraToken implements ContextExtension {
  private static final AtomicReference<String> TOKEN = new AtomicReference<>();
  private static final Map<String, Supplier<String>> MINTED = new ConcurrentHashMap<>();

  /** Contexts started from now on get a credential that answers {@code token}. */
  public static void use(String token) {
    TOKEN.set(token);
  }

  /** The token Entra would mint for {@code scope}: {@code TOKEN|aud=RESOURCE}. */
  public static String audienced(String token, String scope) {
    return token + "|aud=" + scope.substring(0, scope.length() - "/.default".length());
  }

  /**
   * Contexts started from now on get, for {@code resource}, what {@code tokens} gives (a signed JWT
   * where the token leaves the app for another cloud, which checks its signature and claims).
   */
  public static void mint(String resource, Supplier<String> tokens) {
    MINTED.put(resource, tokens);
  }

  public static void clear() {
    TOKEN.set(null);
    MINTED.clear();
  }

  @Override
  public void initialize(GenericApplicationContext context) {
    String token = TOKEN.get();
    if (token != null) {
      Map<String, Supplier<String>> minted = Map.copyOf(MINTED);
      // Entra mints a token for one audience, the scope's resource ({@code …/.default} cut off):
      // the token names it, and the service double checks it is its own
      TokenCredential credential =
          request ->
              request.getScopes().size() != 1 || !request.getScopes().get(0).endsWith("/.default")
                  ? Mono.error(
                      new IllegalArgumentException(
                          "AADSTS70011: one scope ending /.default, got " + request.getScopes()))
                  : Mono.fromSupplier(
                      () ->
                          new AccessToken(
                              token(token, minted, request.getScopes().get(0)),
                              OffsetDateTime.now().plusHours(1)));
      context.registerBean(AzureRuntime.BATCH_CREDENTIAL, TokenCredential.class, () -> credential);
    }
  }

  private static String token(String token, Map<String, Supplier<String>> minted, String scope) {
    Supplier<String> tokens = minted.get(scope.substring(0, scope.length() - "/.default".length()));
    return tokens != null ? tokens.get() : audienced(token, scope);
  }
}
