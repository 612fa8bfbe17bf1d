package io.triad.functions.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadError;
import io.triad.functions.inference.ModelSignature;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a model package from the store, refuses it unless its file matches the manifest's sha256,
 * and opens an ONNX Runtime session for it.
 */
public final class ModelLoader {
  private final BlobStore store;
  private final ObjectMapper json;
  private final OrtEnvironment env;
  private final int intraOpThreads;

  public ModelLoader(BlobStore store, ObjectMapper json, OrtEnvironment env, int intraOpThreads) {
    this.store = store;
    this.json = json;
    this.env = env;
    this.intraOpThreads = intraOpThreads;
  }

  /** Reads and checks the manifest of {@code name}/{@code version}. */
  public ModelManifest manifest(String name, String version) {
    return manifest(BucketLayout.MODELS + name + "/" + version + "/", name, version);
  }

  /** Reads and checks the manifest of a package stored under {@code dir} (ending in '/'). */
  ModelManifest manifest(String dir, String name, String version) {
    String key = dir + BucketLayout.MANIFEST_FILE;
    byte[] bytes = readOr404(key, "model " + name + " has no version " + version);
    ModelManifest manifest;
    try {
      manifest = json.readValue(bytes, ModelManifest.class);
    } catch (IOException e) {
      throw TriadError.notReady(
          "manifest of model "
              + name
              + " version "
              + version
              + " is unreadable: "
              + e.getClass().getSimpleName());
    }
    if (!name.equals(manifest.name()) || !version.equals(manifest.version())) {
      throw TriadError.notReady(
          "manifest at "
              + key
              + " names "
              + manifest.name()
              + " version "
              + manifest.version()
              + "; it will not be served");
    }
    if (manifest.sha256() == null || manifest.sha256().isBlank()) {
      throw TriadError.notReady(
          "manifest of model " + name + " version " + version + " has no sha256");
    }
    return manifest;
  }

  LoadedModel load(String name, String version) {
    return load(BucketLayout.MODELS + name + "/" + version + "/", name, version);
  }

  /**
   * Loads the package stored under {@code dir}: {@code models/{m}/{v}/} or a candidate's folder.
   */
  LoadedModel load(String dir, String name, String version) {
    ModelManifest manifest = manifest(dir, name, version);
    byte[] model;
    try {
      model = readOr404(dir + BucketLayout.MODEL_FILE, "");
    } catch (TriadError missing) {
      throw TriadError.notReady(
          "model " + name + " version " + version + " has a manifest but no model file");
    }
    String actual = Sha256.of(model);
    if (!actual.equalsIgnoreCase(manifest.sha256())) {
      throw TriadError.notReady(
          "model "
              + name
              + " version "
              + version
              + " failed its integrity check (sha256 "
              + actual
              + ", manifest says "
              + manifest.sha256()
              + "); it will not be served");
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = env.createSession(model, options);
      return new LoadedModel(manifest, session, ModelSignature.of(session));
    } catch (OrtException e) {
      throw TriadError.notReady(
          "model "
              + name
              + " version "
              + version
              + " cannot be loaded by ONNX Runtime: "
              + e.getMessage());
    }
  }

  private byte[] readOr404(String key, String missing) {
    try (var in = store.open(key)) {
      return in.readAllBytes();
    } catch (NoSuchObjectException e) {
      throw TriadError.notFound(missing);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
  }
}
