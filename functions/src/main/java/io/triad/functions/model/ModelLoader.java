package io.triad.functions.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadError;
import io.triad.functions.inference.ModelSignature;
import io.triad.functions.metrics.StartPhases;
import io.triad.functions.signing.TrustedKeys;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a model package from the store and opens an ONNX Runtime session for it. A promoted package
 * is refused unless a trusted key signed exactly its model file and manifest ({@link TrustedKeys});
 * a candidate, which is not signed yet, unless its model file matches the manifest's sha256. Each
 * file is read once, and what is checked is what is loaded.
 */
public final class ModelLoader {
  private final BlobStore store;
  private final ObjectMapper json;
  private final OrtEnvironment env;
  private final int intraOpThreads;
  private final TrustedKeys trusted;
  private final Loads loads;
  static final int MAX_SIGNATURE_BYTES = 64 * 1024;

  /** Told how long each promoted version took to load, and whether it was loaded or refused. */
  @FunctionalInterface
  public interface Loads {
    void loaded(String model, boolean loaded, long nanos);
  }

  public ModelLoader(
      BlobStore store,
      ObjectMapper json,
      OrtEnvironment env,
      int intraOpThreads,
      TrustedKeys trusted) {
    this(store, json, env, intraOpThreads, trusted, (model, loaded, nanos) -> {});
  }

  public ModelLoader(
      BlobStore store,
      ObjectMapper json,
      OrtEnvironment env,
      int intraOpThreads,
      TrustedKeys trusted,
      Loads loads) {
    this.store = store;
    this.json = json;
    this.env = env;
    this.intraOpThreads = intraOpThreads;
    this.trusted = trusted;
    this.loads = loads;
  }

  /** Reads and checks the manifest of {@code name}/{@code version}. */
  public ModelManifest manifest(String name, String version) {
    return manifest(BucketLayout.MODELS + name + "/" + version + "/", name, version);
  }

  /** Reads and checks the manifest of a package stored under {@code dir} (ending in '/'). */
  ModelManifest manifest(String dir, String name, String version) {
    String key = dir + BucketLayout.MANIFEST_FILE;
    return parse(
        key, readOr404(key, "model " + name + " has no version " + version), name, version);
  }

  private ModelManifest parse(String key, byte[] bytes, String name, String version) {
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

  /** Loads a promoted version: signed, or refused. */
  LoadedModel load(String name, String version) {
    long start = System.nanoTime();
    boolean loaded = false;
    try {
      LoadedModel model = load(BucketLayout.modelDir(name, version), name, version, true);
      loaded = true;
      return model;
    } finally {
      loads.loaded(name, loaded, System.nanoTime() - start);
    }
  }

  /** Loads a candidate from its folder: not signed yet, checked by its manifest's sha256. */
  LoadedModel loadCandidate(String name, String version) {
    return load(BucketLayout.candidateDir(name, version), name, version, false);
  }

  private LoadedModel load(String dir, String name, String version, boolean signed) {
    String manifestKey = dir + BucketLayout.MANIFEST_FILE;
    long reading = StartPhases.begin();
    byte[] manifestBytes = readOr404(manifestKey, "model " + name + " has no version " + version);
    byte[] model;
    try {
      model = readOr404(dir + BucketLayout.MODEL_FILE, "");
    } catch (TriadError missing) {
      throw TriadError.notReady(
          "model " + name + " version " + version + " has a manifest but no model file");
    }
    StartPhases.end("model.store-reads", reading);
    long verifying = StartPhases.begin();
    if (signed) {
      trusted.verify(
          json,
          name,
          version,
          model,
          manifestBytes,
          readIfPresent(dir + BucketLayout.SIGNATURE_FILE));
    }
    ModelManifest manifest = parse(manifestKey, manifestBytes, name, version);
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
    StartPhases.end("model.verify", verifying);
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      long creating = StartPhases.begin();
      options.setIntraOpNumThreads(intraOpThreads);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = env.createSession(model, options);
      StartPhases.end("model.session", creating);
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

  /**
   * The bytes at {@code key}, null when absent; a signature is a few hundred bytes, so at most
   * {@value #MAX_SIGNATURE_BYTES} are read (more make it unreadable, never a heap's worth).
   */
  private byte[] readIfPresent(String key) {
    try (var in = store.open(key)) {
      byte[] bytes = in.readNBytes(MAX_SIGNATURE_BYTES + 1);
      return bytes.length > MAX_SIGNATURE_BYTES ? new byte[0] : bytes;
    } catch (NoSuchObjectException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
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
