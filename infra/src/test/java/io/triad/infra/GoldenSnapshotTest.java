package io.triad.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each stack's synthesized JSON against the snapshot under {@code src/test/resources/golden/}, so a
 * reviewer sees every infrastructure change as a diff. After an intended change, refresh them with
 * {@code ./mvnw -B -pl infra test -Dtest=GoldenSnapshotTest -Dtriad.golden.update=true} and commit.
 */
class GoldenSnapshotTest {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @ParameterizedTest
  @EnumSource(Cloud.class)
  void stack_should_matchItsGoldenSnapshot_when_synthesized(Cloud cloud) throws IOException {
    String actual =
        JSON.writeValueAsString(JSON.treeToValue(SynthesizedStack.of(cloud).root(), Object.class))
            + "\n";
    Path golden = Path.of(System.getProperty("triad.golden.dir"), cloud.stackName() + ".tf.json");

    if (Boolean.getBoolean("triad.golden.update")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }

    assertThat(golden).as("golden snapshot; create it with -Dtriad.golden.update=true").exists();
    assertThat(actual)
        .as(
            "%s stack differs from %s; if the change is intended, rerun with -Dtriad.golden.update=true",
            cloud, golden)
        .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
