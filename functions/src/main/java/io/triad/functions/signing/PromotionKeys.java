package io.triad.functions.signing;

import io.triad.functions.api.TriadError;
import io.triad.functions.config.SigningSettings;
import java.io.IOException;
import java.util.List;

/**
 * The promoting function's signing key, read from {@code triad.signing.key} the first time a
 * candidate is promoted (the serving functions never read it) and checked against the trusted keys,
 * since a package signed by a key the runtimes do not trust would never be served.
 */
public final class PromotionKeys {
  private final SigningSettings settings;
  private final TrustedKeys trusted;
  private final List<SigningKeySource> sources;
  private volatile PackageSigner signer;

  public PromotionKeys(
      SigningSettings settings, TrustedKeys trusted, List<SigningKeySource> sources) {
    this.settings = settings;
    this.trusted = trusted;
    this.sources = List.copyOf(sources);
  }

  /** A ready signer, for this process only: tests and the local runtime's own key. */
  public static PromotionKeys of(PackageSigner signer, TrustedKeys trusted) {
    PromotionKeys keys = new PromotionKeys(SigningSettings.defaults(), trusted, List.of());
    keys.signer = signer;
    return keys;
  }

  /**
   * The signer.
   *
   * @throws TriadError not ready when no key is configured or it cannot be used (the candidate
   *     waits; the reason says what to set); transient when its store cannot be read now
   */
  public PackageSigner signer() {
    PackageSigner current = signer;
    if (current == null) {
      synchronized (this) {
        current = signer;
        if (current == null) {
          current = load();
          signer = current;
        }
      }
    }
    return current;
  }

  private PackageSigner load() {
    String location = settings.key();
    if (location == null) {
      throw TriadError.notReady(
          "this function holds no signing key (triad.signing.key), so it cannot promote");
    }
    int colon = location.indexOf(':');
    String scheme = colon < 0 ? FileKeySource.SCHEME : location.substring(0, colon);
    String rest = colon < 0 ? location : location.substring(colon + 1);
    SigningKeySource source =
        scheme.equals(FileKeySource.SCHEME)
            ? new FileKeySource()
            : sources.stream().filter(s -> s.scheme().equals(scheme)).findFirst().orElse(null);
    if (source == null) {
      throw TriadError.notReady(
          "triad.signing.key names a '" + scheme + "' key, which this runtime cannot read");
    }
    PackageSigner loaded;
    try {
      loaded = PackageSigner.fromText(source.read(rest));
    } catch (IOException e) {
      throw TriadError.transientFault("the signing key could not be read: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw TriadError.notReady("the signing key cannot be used: " + e.getMessage());
    }
    if (!trusted.trusts(loaded.keyId())) {
      throw TriadError.notReady(
          "the signing key "
              + loaded.keyId()
              + " is not among triad.signing.trusted-keys, so what it signed would not be served;"
              + " trust its public key "
              + SigningKeys.publicKeyText(loaded.publicKey()));
    }
    return loaded;
  }
}
