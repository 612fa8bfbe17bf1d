package io.triad.functions.model;

import ai.onnxruntime.OrtSession;
import io.triad.functions.inference.ModelSignature;

/**
 * A model version held for the length of one request. Closing it lets a retired version's session
 * close once no request uses it any more.
 */
public final class ModelLease implements AutoCloseable {
  private final LoadedModel model;
  private boolean closed;

  ModelLease(LoadedModel model) {
    this.model = model;
  }

  public OrtSession session() {
    return model.session();
  }

  public ModelManifest manifest() {
    return model.manifest();
  }

  public ModelSignature signature() {
    return model.signature();
  }

  public String name() {
    return model.manifest().name();
  }

  public String version() {
    return model.manifest().version();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.release();
    }
  }
}
