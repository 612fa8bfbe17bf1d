package io.triad.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.triad.settings.AzureContract;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Tokens of the app's managed identity for Entra's token exchange ({@value
 * AzureContract#TOKEN_EXCHANGE_AUDIENCE}): a JWT from the tenant's version 2.0 issuer whose {@code
 * sub} is the identity's object id, which an AWS role trusts through the issuer's OpenID Connect
 * provider (infra's {@code AwsReplicaWriters}). The credential caches a token until it nears its
 * end; STS asks once an hour.
 */
final class EntraExchangeTokens implements Supplier<String> {
  private static final Pattern JWT =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private final Supplier<TokenCredential> credential;

  EntraExchangeTokens(Supplier<TokenCredential> credential) {
    this.credential = credential;
  }

  @Override
  public String get() {
    AccessToken token;
    try {
      token =
          credential
              .get()
              .getTokenSync(
                  new TokenRequestContext()
                      .addScopes(AzureContract.TOKEN_EXCHANGE_AUDIENCE + "/.default"));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the managed identity gave no token for Entra's token exchange ("
              + firstLine(e.getMessage())
              + ")",
          e);
    }
    if (token == null || token.getToken() == null || !JWT.matcher(token.getToken()).matches()) {
      throw new IllegalStateException(
          "the managed identity answered something that is no JWT for Entra's token exchange");
    }
    return token.getToken();
  }

  private static String firstLine(String message) {
    return message == null ? "no reason given" : message.lines().findFirst().orElse("");
  }
}
