package io.triad.functions.signing;

import java.io.IOException;

/**
 * Reads the signing key's text from where {@code triad.signing.key} says it is. {@code file:} is
 * the core's; each cloud adapter adds its secret store as a bean.
 */
public interface SigningKeySource {

  /** The location prefix this source reads, without the colon ({@code aws-secretsmanager}). */
  String scheme();

  /**
   * The key's PEM (or one-line Base64 DER) text at {@code location}, the part after the colon.
   *
   * @throws IOException when the store cannot be reached now (tried again later)
   * @throws IllegalArgumentException when the key is not there or may not be used, with the reason
   */
  String read(String location) throws IOException;
}
