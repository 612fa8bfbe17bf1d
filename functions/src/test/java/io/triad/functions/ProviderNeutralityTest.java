package io.triad.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** functions/ is provider-neutral: no source file may import a cloud SDK. */
class ProviderNeutralityTest {
  private static final Pattern CLOUD_IMPORT =
      Pattern.compile(
          "^\\s*import\\s+(static\\s+)?(com\\.amazonaws\\.|software\\.amazon\\.|com\\.microsoft\\.azure\\.|com\\.azure\\.|com\\.google\\.cloud\\.)",
          Pattern.MULTILINE);

  @Test
  void sources_shouldImportNoCloudSdk_whenScanned() throws IOException {
    // given: the pom's surefire configuration names the source root, so the working directory does
    // not matter
    String sources = System.getProperty("triad.sources");
    assertThat(sources).as("system property triad.sources (set by the pom)").isNotBlank();
    Path root = Path.of(sources);
    assertThat(root).isDirectory();

    // when
    List<String> offenders = new ArrayList<>();
    long scanned;
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> java = files.filter(p -> p.toString().endsWith(".java")).toList();
      scanned = java.size();
      for (Path file : java) {
        var matcher = CLOUD_IMPORT.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (matcher.find()) {
          offenders.add(root.relativize(file) + ": " + matcher.group().trim());
        }
      }
    }

    // then
    assertThat(scanned).isGreaterThan(0);
    assertThat(offenders).as("cloud SDK imports in functions/").isEmpty();
  }
}
