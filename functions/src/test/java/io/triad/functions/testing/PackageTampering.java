package io.triad.functions.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.Sha256;
import io.triad.functions.signing.PackageSigner;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What someone who can write the bucket, but holds no trusted key, might do to a promoted package
 * of iris's shape; each must leave the package refused with {@link #reason()} in the refusal.
 */
public enum PackageTampering {
  /** Another model file, and the manifest's sha256 rewritten to match it. */
  MODEL_AND_SHA256_REWRITTEN("integrity check") {
    @Override
    void apply(BlobStore store, String model, String version) {
      byte[] weak = TestModels.weakIrisOnnx();
      store.put(BucketLayout.modelFile(model, version), weak);
      ObjectNode manifest = manifest(store, model, version);
      manifest.put("sha256", Sha256.of(weak));
      store.put(BucketLayout.manifest(model, version), TriadJson.pretty(JSON, manifest));
    }
  },
  /** The labels in the manifest reversed: a setosa would come back as virginica. */
  LABELS_SWAPPED("integrity check") {
    @Override
    void apply(BlobStore store, String model, String version) {
      ObjectNode manifest = manifest(store, model, version);
      ArrayNode labels = (ArrayNode) manifest.path("postprocessing").path("labels");
      ArrayNode reversed = JSON.createArrayNode();
      for (int i = labels.size() - 1; i >= 0; i--) {
        reversed.add(labels.get(i));
      }
      ((ObjectNode) manifest.get("postprocessing")).set("labels", reversed);
      store.put(BucketLayout.manifest(model, version), TriadJson.pretty(JSON, manifest));
    }
  },
  /** The manifest alone changed, by one byte that changes no field. */
  MANIFEST_ALONE_CHANGED("integrity check") {
    @Override
    void apply(BlobStore store, String model, String version) {
      byte[] bytes = store.read(BucketLayout.manifest(model, version));
      byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      longer[bytes.length] = '\n';
      store.put(BucketLayout.manifest(model, version), longer);
    }
  },
  /** signature.json deleted. */
  SIGNATURE_REMOVED("is not signed") {
    @Override
    void apply(BlobStore store, String model, String version) {
      store.delete(BucketLayout.signature(model, version));
    }
  },
  /** Everything re-signed, correctly, by a key nobody trusts. */
  SIGNED_BY_UNKNOWN_KEY("not among the trusted keys") {
    @Override
    void apply(BlobStore store, String model, String version) {
      PackageSigner stranger = PackageSigner.fromText(TestModels.UNTRUSTED_SIGNING_KEY);
      new TestModels(store, stranger).sign(model, version);
    }
  };

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = TriadJson.mapper();
  private final String reason;

  PackageTampering(String reason) {
    this.reason = reason;
  }

  /** Tampers with {@code models/{model}/{version}/} in {@code store}. */
  abstract void apply(BlobStore store, String model, String version);

  public void tamper(BlobStore store, String model, String version) {
    apply(store, model, version);
  }

  /** What the refusal says. */
  public String reason() {
    return reason;
  }

  private static ObjectNode manifest(BlobStore store, String model, String version) {
    try {
      return (ObjectNode)
          JSON.readTree(
              new String(
                  store.read(BucketLayout.manifest(model, version)), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
