package io.triad.functions.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadError;
import io.triad.functions.model.Sha256;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public keys a runtime accepts package signatures from ({@code triad.signing.trusted-keys}).
 * Several keys allow rotation: sign with the new key once it is trusted everywhere, and drop the
 * old one once no served version needs it.
 */
public final class TrustedKeys {
  private final Map<String, PublicKey> byId;

  private TrustedKeys(Map<String, PublicKey> byId) {
    this.byId = Map.copyOf(byId);
  }

  /**
   * Parses the settings' keys.
   *
   * @throws IllegalArgumentException naming the key that is not an Ed25519 public key
   */
  public static TrustedKeys of(Collection<String> keyTexts) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (String text : keyTexts) {
      if (!text.isBlank()) {
        PublicKey key = SigningKeys.publicKey(text);
        keys.put(SigningKeys.keyId(key), key);
      }
    }
    return new TrustedKeys(keys);
  }

  public static TrustedKeys of(PublicKey... keys) {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    for (PublicKey key : keys) {
      byId.put(SigningKeys.keyId(key), key);
    }
    return new TrustedKeys(byId);
  }

  public boolean trusts(String keyId) {
    return byId.containsKey(keyId);
  }

  public List<String> keyIds() {
    return new ArrayList<>(byId.keySet());
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /**
   * Checks that {@code signature} (the bytes of {@code signature.json}, null when there is none) is
   * a trusted key's signature over exactly these model and manifest bytes under this name and
   * version.
   *
   * @throws TriadError not ready, saying why, when it is not
   */
  public void verify(
      ObjectMapper json,
      String model,
      String version,
      byte[] modelBytes,
      byte[] manifestBytes,
      byte[] signature) {
    String what = "model " + model + " version " + version;
    if (signature == null) {
      throw TriadError.notReady(what + " is not signed; it will not be served");
    }
    PackageSignature parsed;
    try {
      parsed = json.readValue(signature, PackageSignature.class);
    } catch (IOException e) {
      throw TriadError.notReady(what + " has an unreadable signature; it will not be served");
    }
    if (!PackageSignature.FORMAT.equals(parsed.format())
        || !SigningKeys.ALGORITHM.equals(parsed.algorithm())) {
      throw TriadError.notReady(
          what
              + " is signed in a form this runtime does not read ("
              + parsed.format()
              + ", "
              + parsed.algorithm()
              + "); it will not be served");
    }
    PublicKey key = parsed.keyId() == null ? null : byId.get(parsed.keyId());
    if (key == null) {
      throw TriadError.notReady(
          what
              + " is signed by key "
              + parsed.keyId()
              + ", which is not among the trusted keys "
              + keyIds()
              + "; it will not be served");
    }
    byte[] payload =
        PackageSignature.payload(model, version, Sha256.of(modelBytes), Sha256.of(manifestBytes));
    boolean valid;
    try {
      Signature verifier = Signature.getInstance(SigningKeys.ALGORITHM);
      verifier.initVerify(key);
      verifier.update(payload);
      valid =
          parsed.signature() != null
              && verifier.verify(Base64.getDecoder().decode(parsed.signature()));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      valid = false;
    }
    if (!valid) {
      throw TriadError.notReady(
          what
              + " failed its integrity check: its model file or manifest changed after it was"
              + " signed; it will not be served");
    }
  }
}
