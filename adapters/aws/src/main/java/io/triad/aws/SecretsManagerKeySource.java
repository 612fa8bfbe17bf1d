package io.triad.aws;

import io.triad.functions.signing.SigningKeySource;
import io.triad.settings.AwsContract;
import java.io.IOException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * {@code aws-secretsmanager:ARN}: the signing key as a Secrets Manager secret's string, read with
 * the upload function's own role, which alone is allowed {@code GetSecretValue} on it. The client
 * is built on first use, so functions that never promote never make one.
 */
public final class SecretsManagerKeySource implements SigningKeySource {
  private final Supplier<SecretsManagerClient> clients;
  private volatile SecretsManagerClient client;

  public SecretsManagerKeySource(Supplier<SecretsManagerClient> clients) {
    this.clients = clients;
  }

  @Override
  public String scheme() {
    return AwsContract.SECRETS_MANAGER_SCHEME;
  }

  @Override
  public String read(String secretId) throws IOException {
    try {
      String value = client().getSecretValue(r -> r.secretId(secretId)).secretString();
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "secret " + secretId + " holds no key text: put the PEM file in it as a string");
      }
      return value;
    } catch (ResourceNotFoundException e) {
      throw new IllegalArgumentException(
          "secret "
              + secretId
              + " has no value yet: put the signing key in it (README, \"Signed model"
              + " packages\")");
    } catch (SecretsManagerException e) {
      if (e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 429) {
        throw new IllegalArgumentException(
            "secret " + secretId + " cannot be read: " + e.awsErrorDetails().errorMessage());
      }
      throw new IOException("Secrets Manager did not answer: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("Secrets Manager could not be reached: " + e.getMessage(), e);
    }
  }

  private SecretsManagerClient client() {
    SecretsManagerClient current = client;
    if (current == null) {
      synchronized (this) {
        if (client == null) {
          client = clients.get();
        }
        current = client;
      }
    }
    return current;
  }
}
