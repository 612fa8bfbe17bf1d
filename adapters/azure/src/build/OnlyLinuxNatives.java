import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step (run as a single-file program): removes every ONNX Runtime native folder except
 * linux-x64 from the onnxruntime jar in a staging lib folder. Azure Functions on Linux runs x64
 * workers only, and the other three platforms are half of the package's size.
 */
public final class OnlyLinuxNatives {
  private static final String NATIVE = "/ai/onnxruntime/native/";
  private static final String KEEP = "linux-x64";

  public static void main(String[] args) throws IOException {
    Path lib = Path.of(args[0]);
    List<Path> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.filter(p -> p.getFileName().toString().matches("onnxruntime-[0-9.]+\\.jar")).toList();
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException("no onnxruntime jar in " + lib);
    }
    for (Path jar : jars) {
      long before = Files.size(jar);
      try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
        Path natives = zip.getPath(NATIVE);
        try (Stream<Path> platforms = Files.list(natives)) {
          for (Path platform : platforms.toList()) {
            if (!platform.getFileName().toString().replace("/", "").equals(KEEP)) {
              deleteTree(platform);
            }
          }
        }
        if (!Files.isDirectory(zip.getPath(NATIVE + KEEP))) {
          throw new IllegalStateException(jar + " has no " + KEEP + " natives");
        }
      }
      System.out.printf("%s: %d -> %d bytes (only %s natives)%n", jar.getFileName(), before, Files.size(jar), KEEP);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
