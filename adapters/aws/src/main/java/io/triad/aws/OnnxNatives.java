package io.triad.aws;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points ONNX Runtime at the linux-x64 libraries the Lambda package carries already extracted
 * ({@code native/linux-x64/} in the zip), so a cold start loads them in place instead of copying 29
 * MB out of a jar into /tmp. Must run before ONNX Runtime's first class is initialized.
 */
final class OnnxNatives {
  static final String PROPERTY = "onnxruntime.native.path";
  static final String PACKAGE_DIR = "native/linux-x64";

  private OnnxNatives() {}

  /** Sets the property when {@code taskRoot} holds the libraries and nobody set it already. */
  static void usePackaged(String taskRoot) {
    if (taskRoot == null || System.getProperty(PROPERTY) != null) {
      return;
    }
    Path dir = Path.of(taskRoot).resolve(PACKAGE_DIR);
    if (Files.isRegularFile(dir.resolve(System.mapLibraryName("onnxruntime")))) {
      // process-wide by nature: ONNX Runtime reads it once, when it loads its natives
      System.setProperty(PROPERTY, dir.toString());
    }
  }
}
