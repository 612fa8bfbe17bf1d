package io.triad.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bucket layout is {@link BucketLayout}'s alone: no production source elsewhere spells one of
 * its prefixes or file names as a string literal. (Tests and benchmarks may: they name the objects
 * they put.) Fails on the first new {@code "incoming/" + model} anyone writes.
 */
class LayoutLiteralsTest {
  private static final List<String> MODULES =
      List.of(
          "functions",
          "models",
          "adapters/settings",
          "adapters/local",
          "adapters/aws",
          "adapters/azure",
          "adapters/gcp",
          "infra");

  /** A literal that starts with a prefix, or is one of the layout's file names. */
  private static final Pattern LITERAL =
      Pattern.compile(
          "\"(?:(?:incoming|labelled|predictions|evaluations|candidates|models|failed|data)/"
              + "|(?:holdout\\.csv|launch\\.json|rejected\\.json|manifest\\.json|model\\.onnx|\\.error\\.json|\\.evaluate)\")");

  @Test
  void sources_should_spellNoLayoutLiteral_when_outsideTheLayoutModule() throws IOException {
    Path root = Path.of(System.getProperty("triad.root")).toRealPath();
    List<String> found = new ArrayList<>();
    int scanned = 0;
    for (String module : MODULES) {
      Path sources = root.resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          scanned++;
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
              continue;
            }
            Matcher literal = LITERAL.matcher(line);
            if (literal.find()) {
              found.add(root.relativize(file) + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
    }
    assertThat(scanned).as("production sources read").isGreaterThan(150);
    assertThat(found).as("layout literals outside functions/layout (use BucketLayout)").isEmpty();
  }

  @Test
  void pattern_should_catchALiteral_when_oneIsWritten() {
    assertThat(LITERAL.matcher("String key = \"incoming/\" + model;").find()).isTrue();
    assertThat(LITERAL.matcher("store.put(dir + \"rejected.json\", bytes);").find()).isTrue();
    assertThat(LITERAL.matcher("String key = BucketLayout.incoming(model);").find()).isFalse();
    assertThat(LITERAL.matcher("\"/v2/models/\" + name").find()).isFalse();
  }
}
