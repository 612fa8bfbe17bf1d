package io.triad.functions.config;

import java.util.List;

/**
 * {@code triad.signing.*}: who may sign what is served, and where the promoting function finds its
 * key.
 *
 * @param trustedKeys Ed25519 public keys (Base64 X.509, as {@code keygen} prints them) whose
 *     signatures every runtime accepts; comma-separated in {@code TRIAD_SIGNING_TRUSTED_KEYS}. More
 *     than one allows rotation.
 * @param key where the signing key is, for the function that promotes only: {@code file:PATH} (a
 *     PKCS#8 PEM file, mode 0600), {@code aws-secretsmanager:ARN}, {@code
 *     azure-keyvault:https://VAULT.vault.azure.net/secrets/NAME} or {@code
 *     gcp-secretmanager:projects/P/secrets/S/versions/V}; null where nothing is promoted
 */
public record SigningSettings(List<String> trustedKeys, String key) {
  public SigningSettings {
    trustedKeys =
        trustedKeys == null
            ? List.of()
            : trustedKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    key = key == null || key.isBlank() ? null : key.strip();
  }

  public static SigningSettings defaults() {
    return new SigningSettings(null, null);
  }
}
