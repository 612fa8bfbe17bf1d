package io.triad.functions.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.store.BlobStore;
import io.triad.layout.BucketLayout;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Writes a signed version under {@code models/{name}/{version}/}, the one sequence the gate, the
 * package tool and the tests use: model file, manifest, then the signature over both, so a reader
 * never finds a signature before the files it covers. The alias is the caller's to move, last.
 */
public final class ModelPackages {
  private ModelPackages() {}

  /**
   * @param modelSha256 the SHA-256 of the model file {@code writeModel} writes
   * @param writeModel writes the model file to the key it is given (a put, or a copy from a
   *     candidate's folder)
   */
  public static void write(
      BlobStore store,
      PackageSigner signer,
      ObjectMapper json,
      String name,
      String version,
      String modelSha256,
      byte[] manifestBytes,
      Consumer<String> writeModel) {
    writeModel.accept(BucketLayout.modelFile(name, version));
    store.put(BucketLayout.manifest(name, version), manifestBytes);
    store.put(
        BucketLayout.signature(name, version),
        signer.signatureFile(json, name, version, modelSha256, manifestBytes));
  }

  /** Points the production alias of {@code name} at {@code version}. */
  public static void promote(BlobStore store, String name, String version) {
    store.put(
        BucketLayout.alias(name, BucketLayout.PRODUCTION),
        version.getBytes(StandardCharsets.UTF_8));
  }
}
