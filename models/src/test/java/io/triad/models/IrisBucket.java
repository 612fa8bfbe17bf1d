package io.triad.models;

import io.triad.functions.store.FileSystemBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A bucket in a temporary directory holding the bundled iris data at {@link #DATA}. */
final class IrisBucket {
  static final String DATA = "data/iris.csv";

  private IrisBucket() {}

  static FileSystemBlobStore create(Path dir) {
    FileSystemBlobStore store = new FileSystemBlobStore(dir);
    store.put(DATA, resource("triad/datasets/iris.csv"));
    return store;
  }

  static byte[] resource(String name) {
    try (InputStream in = IrisBucket.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "no classpath resource " + name + " (did the build run fetch-dataset?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
