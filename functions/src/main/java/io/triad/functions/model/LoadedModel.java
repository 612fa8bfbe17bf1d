package io.triad.functions.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.triad.functions.inference.ModelSignature;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version with its open session, reference counted: the registry holds one reference
 * while the version is served, each request holds one while it runs. Retiring drops the registry's
 * reference; the session closes when the last request finishes.
 */
final class LoadedModel {
  private static final Logger log = LoggerFactory.getLogger(LoadedModel.class);

  private final ModelManifest manifest;
  private final OrtSession session;
  private final ModelSignature signature;
  private final AtomicInteger references = new AtomicInteger(1);

  LoadedModel(ModelManifest manifest, OrtSession session, ModelSignature signature) {
    this.manifest = manifest;
    this.session = session;
    this.signature = signature;
  }

  ModelManifest manifest() {
    return manifest;
  }

  OrtSession session() {
    return session;
  }

  ModelSignature signature() {
    return signature;
  }

  /** Takes a reference unless the model is already closed. */
  boolean tryAcquire() {
    while (true) {
      int current = references.get();
      if (current == 0) {
        return false;
      }
      if (references.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (references.decrementAndGet() == 0) {
      try {
        session.close();
        log.debug("closed the session of model {} version {}", manifest.name(), manifest.version());
      } catch (OrtException e) {
        log.warn(
            "closing model {} version {} failed: {}",
            manifest.name(),
            manifest.version(),
            e.getMessage());
      }
    }
  }

  /** Drops the registry's own reference; call once, when the version stops being served. */
  void retire() {
    release();
  }
}
