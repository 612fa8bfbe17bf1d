package io.triad.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Class files the children need, taken from this JVM's class path and laid out where a child's
 * class path (or a Lambda task root) finds them: a CDS archive or AOT cache needs jars, not
 * directories.
 */
final class BenchJars {
  private BenchJars() {}

  /** A jar holding {@code classes} and their nested classes. */
  static Path jar(Path jar, Class<?>... classes) throws IOException {
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> type : withNested(classes)) {
        out.putNextEntry(new JarEntry(resource(type)));
        try (InputStream in = bytes(type)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Copies the class files of {@code classes} (and nested ones) under {@code root}, by package. */
  static void copy(Path root, Class<?>... classes) throws IOException {
    for (Class<?> type : withNested(classes)) {
      Path target = root.resolve(resource(type));
      Files.createDirectories(target.getParent());
      try (InputStream in = bytes(type);
          OutputStream out = Files.newOutputStream(target)) {
        in.transferTo(out);
      }
    }
  }

  /** The jar (or directory) this JVM loaded {@code type} from. */
  static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Class<?>> withNested(Class<?>... classes) {
    List<Class<?>> all = new ArrayList<>();
    for (Class<?> type : classes) {
      all.add(type);
      all.addAll(withNested(type.getDeclaredClasses()));
    }
    return all;
  }

  private static String resource(Class<?> type) {
    return type.getName().replace('.', '/') + ".class";
  }

  private static InputStream bytes(Class<?> type) throws IOException {
    InputStream in = type.getClassLoader().getResourceAsStream(resource(type));
    if (in == null) {
      throw new IOException("no class file for " + type.getName());
    }
    return in;
  }
}
