package io.triad.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer image's class path as this module gathers it ({@code target/trainer-lib}, what {@code
 * models/Dockerfile} copies to {@code /opt/triad/lib}): exactly what the trainer runs with, no test
 * jars, one logging provider, one version of each artifact, and the count the README states.
 */
class TrainerClasspathTest {
  /** {@code groupId.artifactId-version[-classifier].jar}: the name up to the first "-digit". */
  private static final Pattern JAR = Pattern.compile("(.+?)-(\\d.*)\\.jar");

  private static final String SLF4J_PROVIDER =
      "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

  private static List<Path> jars;

  @BeforeAll
  static void list() throws IOException {
    Path lib = Path.of(System.getProperty("triad.trainer.lib"));
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.sorted().toList();
    }
    System.out.printf("trainer class path: %d jars in %s%n", jars.size(), lib);
    jars.forEach(jar -> System.out.println("  " + jar.getFileName()));
  }

  @Test
  void lib_should_holdOnlyJars_andNoTestArtifacts() {
    assertThat(jars).allSatisfy(jar -> assertThat(jar.getFileName().toString()).endsWith(".jar"));
    assertThat(names())
        .noneMatch(name -> name.endsWith("-tests.jar") || name.endsWith("-test-sources.jar"))
        .noneMatch(
            name ->
                name.startsWith("org.junit.")
                    || name.startsWith("org.assertj.")
                    || name.startsWith("org.mockito.")
                    || name.contains("spring-boot-test")
                    || name.contains("wiremock"));
  }

  @Test
  void lib_should_holdOneVersionOfEachArtifact() {
    Map<String, Set<String>> versions = new TreeMap<>();
    for (String name : names()) {
      Matcher jar = JAR.matcher(name);
      assertThat(jar.matches()).as("a versioned jar name: %s", name).isTrue();
      String version = jar.group(2).replaceFirst("-[a-z][a-z0-9_-]*$", ""); // without a classifier
      versions.computeIfAbsent(jar.group(1), artifact -> new TreeSet<>()).add(version);
    }
    assertThat(versions).allSatisfy((artifact, found) -> assertThat(found).as(artifact).hasSize(1));
  }

  @Test
  void lib_should_holdOneLoggingProvider_slf4jSimple() throws IOException {
    List<String> providers =
        jars.stream().filter(TrainerClasspathTest::providesSlf4j).map(this::name).toList();
    assertThat(providers).singleElement().asString().startsWith("org.slf4j.slf4j-simple-");
    assertThat(names()).noneMatch(name -> name.startsWith("ch.qos.logback."));
  }

  @Test
  void lib_should_holdTheTrainerAndTheThreeStoreProviders_butNoCpuLibtorchOrPlatformApis() {
    assertThat(names())
        .anyMatch(name -> name.startsWith("io.triad.triad-models-"))
        .anyMatch(name -> name.startsWith("io.triad.triad-aws-"))
        .anyMatch(name -> name.startsWith("io.triad.triad-azure-"))
        .anyMatch(name -> name.startsWith("io.triad.triad-gcp-"))
        .anyMatch(name -> name.startsWith("ai.djl.pytorch.pytorch-engine-"))
        .noneMatch(name -> name.contains("pytorch-native-cpu"))
        .noneMatch(name -> name.contains("aws-lambda-java-"))
        .noneMatch(name -> name.contains("azure-functions-java-"))
        .noneMatch(name -> name.contains("functions-framework-api"));
  }

  @Test
  void readme_should_stateTheCountTheBuildGathers() throws IOException {
    String readme =
        Files.readString(
            Path.of(System.getProperty("triad.root"), "README.md"), StandardCharsets.UTF_8);
    Matcher stated = Pattern.compile("class path \\((\\d+) jars").matcher(readme);
    assertThat(stated.find()).as("the README states the trainer's jar count").isTrue();
    assertThat(Integer.parseInt(stated.group(1))).isEqualTo(jars.size());
  }

  private List<String> names() {
    return jars.stream().map(this::name).toList();
  }

  private String name(Path jar) {
    return jar.getFileName().toString();
  }

  private static boolean providesSlf4j(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.getEntry(SLF4J_PROVIDER) != null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading " + jar, e);
    }
  }
}
