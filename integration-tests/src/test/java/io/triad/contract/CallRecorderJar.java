package io.triad.contract;

import io.triad.functions.testing.CloudCallLog;
import io.triad.permissions.AzureCallRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The one jar the tests add to a trainer container's class path: the Azure SDK pipeline policy that
 * records the trainer's Blob calls ({@link AzureCallRecorder}, registered as an {@code
 * AfterRetryPolicyProvider} service) and the log it appends to ({@link CloudCallLog}), their
 * classes copied from where this JVM loaded them. Everything else the trainer runs is the image's.
 */
final class CallRecorderJar {
  private static final String SERVICE =
      "META-INF/services/com.azure.core.http.policy.AfterRetryPolicyProvider";

  private CallRecorderJar() {}

  static Path write(Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Class<?> type : List.of(AzureCallRecorder.class, CloudCallLog.class)) {
        copyClasses(type, out);
      }
      out.putNextEntry(new JarEntry(SERVICE));
      out.write((AzureCallRecorder.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /** {@code type}'s class file and its nested classes', from its folder or jar. */
  private static void copyClasses(Class<?> type, JarOutputStream out) throws IOException {
    String folder = type.getPackageName().replace('.', '/') + "/";
    String prefix = type.getSimpleName();
    Path source;
    try {
      source = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("where " + type + " was loaded from", e);
    }
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.list(source.resolve(folder))) {
        for (Path file : files.toList()) {
          if (isClassOf(file.getFileName().toString(), prefix)) {
            try (InputStream in = Files.newInputStream(file)) {
              add(out, folder + file.getFileName(), in);
            }
          }
        }
      }
      return;
    }
    try (JarFile classes = new JarFile(source.toFile())) {
      for (JarEntry entry : classes.stream().toList()) {
        String name = entry.getName();
        if (name.startsWith(folder)
            && name.indexOf('/', folder.length()) < 0
            && isClassOf(name.substring(folder.length()), prefix)) {
          try (InputStream in = classes.getInputStream(entry)) {
            add(out, name, in);
          }
        }
      }
    }
  }

  private static boolean isClassOf(String fileName, String prefix) {
    return fileName.equals(prefix + ".class")
        || (fileName.startsWith(prefix + "$") && fileName.endsWith(".class"));
  }

  private static void add(JarOutputStream out, String name, InputStream in) throws IOException {
    out.putNextEntry(new JarEntry(name));
    in.transferTo(out);
    out.closeEntry();
  }
}
