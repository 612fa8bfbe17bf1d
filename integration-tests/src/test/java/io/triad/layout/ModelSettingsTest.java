package io.triad.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.config.ModelDefaults;
import io.triad.functions.config.ModelSettings;
import io.triad.functions.config.TriadProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * One set of model settings: each runtime's packaged configuration (its {@code application.yaml},
 * where it has one), the same environment (the catalog infra sets as {@code TRIAD_CATALOG}) and the
 * shared defaults, bound as {@code TriadFunctions} binds them, give every model the same
 * training-data key, gate, seed, schedule and trainer options on all four runtimes; and the README,
 * the bucket layout and infra's upload steps name the same training-data key.
 */
class ModelSettingsTest {
  private static final Path ROOT = Path.of(System.getProperty("triad.root"));
  private static final List<String> RUNTIMES = List.of("local", "aws", "azure", "gcp");

  @Test
  void models_should_resolveTheSameSettings_onEveryRuntime() throws IOException {
    Map<String, TriadProperties> resolved = new LinkedHashMap<>();
    for (String runtime : RUNTIMES) {
      resolved.put(runtime, resolve(runtime));
    }
    assertThat(ModelDefaults.models()).containsExactly("iris", "mnist");

    for (String model : ModelDefaults.models()) {
      ModelSettings local = resolved.get("local").model(model);
      for (String runtime : RUNTIMES) {
        assertThat(resolved.get(runtime).modelNames()).as("models on %s", runtime).contains(model);
        ModelSettings settings = resolved.get(runtime).model(model);
        assertThat(settings).as("%s on %s, against local", model, runtime).isEqualTo(local);
        assertThat(settings.trainingDataOr(model))
            .as("%s's training data on %s", model, runtime)
            .isEqualTo(BucketLayout.trainingData(model));
      }
    }
    ModelSettings iris = resolved.get("azure").model("iris");
    assertThat(iris.gate().minimum()).isEqualTo(0.9);
    assertThat(iris.gate().tolerance()).isEqualTo(0.02);
    assertThat(iris.trainer()).containsEntry("seed", "42");
    assertThat(resolved.get("gcp").model("mnist").trainer()).containsEntry("architecture", "cnn");
  }

  @Test
  void readme_should_nameTheTrainingDataKeyTheCodeReads() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    assertThat(BucketLayout.trainingData("iris")).isEqualTo("data/iris/train.csv");
    // the deploy steps upload the first training data there on every cloud
    assertThat(readme.split(java.util.regex.Pattern.quote(BucketLayout.trainingData("iris")), -1))
        .hasSizeGreaterThanOrEqualTo(4);
    assertThat(readme).doesNotContain("data/iris/iris.csv");
  }

  /** The runtime's packaged configuration and the test's environment, nothing of this JVM's. */
  private static TriadProperties resolve(String runtime) throws IOException {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("TRIAD_CATALOG", "iris,mnist")));
    Path yaml = ROOT.resolve("adapters/" + runtime + "/src/main/resources/application.yaml");
    if (Files.exists(yaml)) {
      new YamlPropertySourceLoader()
          .load(runtime, new FileSystemResource(yaml))
          .forEach(environment.getPropertySources()::addLast);
    }
    ModelDefaults.addTo(environment);
    return Binder.get(environment)
        .bind("triad", Bindable.of(TriadProperties.class))
        .orElseGet(TriadProperties::defaults);
  }
}
