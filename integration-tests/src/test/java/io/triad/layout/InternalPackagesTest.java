package io.triad.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the core keeps to itself stays there: no production source outside {@code functions} imports
 * {@code io.triad.functions.internal}.
 */
class InternalPackagesTest {
  private static final List<String> MODULES =
      List.of(
          "models",
          "adapters/settings",
          "adapters/local",
          "adapters/aws",
          "adapters/azure",
          "adapters/gcp",
          "infra");

  @Test
  void sources_should_notImportTheCoresInternals_when_outsideFunctions() throws IOException {
    Path root = Path.of(System.getProperty("triad.root")).toRealPath();
    List<String> found = new ArrayList<>();
    int scanned = 0;
    for (String module : MODULES) {
      try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          scanned++;
          if (Files.readString(file).contains("io.triad.functions.internal")) {
            found.add(root.relativize(file).toString());
          }
        }
      }
    }
    assertThat(scanned).as("production sources read").isGreaterThan(100);
    assertThat(found).as("sources importing io.triad.functions.internal").isEmpty();
  }
}
