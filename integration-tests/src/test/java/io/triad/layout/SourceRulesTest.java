package io.triad.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules over every module's production sources (tests and benchmarks may break them: they name the
 * objects they put and may look inside the core):
 *
 * <ul>
 *   <li>the bucket layout is {@link BucketLayout}'s alone: no other source spells one of its
 *       prefixes or file names as a string literal;
 *   <li>what the core keeps to itself stays there: nothing outside {@code functions} imports {@code
 *       io.triad.functions.internal}.
 * </ul>
 */
class SourceRulesTest {
  private static final List<String> OUTSIDE_FUNCTIONS =
      List.of(
          "models",
          "adapters/settings",
          "adapters/local",
          "adapters/aws",
          "adapters/azure",
          "adapters/gcp",
          "infra");

  /** A literal that starts with a prefix, or is one of the layout's file names. */
  private static final Pattern LAYOUT_LITERAL =
      Pattern.compile(
          "\"(?:(?:incoming|labelled|predictions|evaluations|candidates|models|failed|data)/"
              + "|(?:holdout\\.csv|launch\\.json|rejected\\.json|manifest\\.json|model\\.onnx"
              + "|\\.error\\.json|\\.evaluate)\")");

  @Test
  void sources_should_spellNoLayoutLiteral_when_outsideTheLayoutModule() throws IOException {
    List<String> modules = new ArrayList<>(OUTSIDE_FUNCTIONS);
    modules.add("functions");
    assertThat(offending(modules, line -> !isComment(line) && LAYOUT_LITERAL.matcher(line).find()))
        .as("layout literals outside functions/layout (use BucketLayout)")
        .isEmpty();
  }

  @Test
  void sources_should_notImportTheCoresInternals_when_outsideFunctions() throws IOException {
    assertThat(offending(OUTSIDE_FUNCTIONS, line -> line.contains("io.triad.functions.internal")))
        .as("sources importing io.triad.functions.internal")
        .isEmpty();
  }

  @Test
  void layoutPattern_should_catchALiteral_when_oneIsWritten() {
    assertThat(LAYOUT_LITERAL.matcher("String key = \"incoming/\" + model;").find()).isTrue();
    assertThat(LAYOUT_LITERAL.matcher("store.put(dir + \"rejected.json\", bytes);").find())
        .isTrue();
    assertThat(LAYOUT_LITERAL.matcher("String key = BucketLayout.incoming(model);").find())
        .isFalse();
    assertThat(LAYOUT_LITERAL.matcher("\"/v2/models/\" + name").find()).isFalse();
  }

  /**
   * Every line of the modules' {@code src/main/java} that {@code rule} flags, as file:line: text.
   */
  private static List<String> offending(List<String> modules, Predicate<String> rule)
      throws IOException {
    Path root = Path.of(System.getProperty("triad.root")).toRealPath();
    List<String> found = new ArrayList<>();
    int scanned = 0;
    for (String module : modules) {
      try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          scanned++;
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (rule.test(line)) {
              found.add(root.relativize(file) + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
    }
    assertThat(scanned).as("production sources read").isGreaterThan(100);
    return found;
  }

  private static boolean isComment(String line) {
    return line.startsWith("*") || line.startsWith("//") || line.startsWith("/*");
  }
}
