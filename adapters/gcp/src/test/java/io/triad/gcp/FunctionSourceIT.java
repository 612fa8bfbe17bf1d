package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The source archive infra uploads holds the deploy jar, and that jar the shared settings contract.
 */
class FunctionSourceIT {

  @Test
  void functionSource_should_holdTheDeployJarWithTheContract_when_packaged() throws IOException {
    // given
    Path archive = Path.of(System.getProperty("triad.gcp.function-source"));
    assertThat(archive).exists();

    try (ZipFile zip = new ZipFile(archive.toFile())) {
      // when
      List<String> entries = zip.stream().map(ZipEntry::getName).toList();
      ZipEntry jar = zip.getEntry("triad-gcp.jar");

      // then
      assertThat(entries).containsExactly("triad-gcp.jar");
      assertThat(jar.getSize())
          .isEqualTo(Files.size(Path.of(System.getProperty("triad.gcp.deploy-jar"))));
      assertThat(classes(zip.getInputStream(jar)))
          .contains("io/triad/settings/GcpContract.class", "io/triad/gcp/ScheduleEntry.class");
    }
  }

  private static List<String> classes(InputStream jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(jar)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
