package io.triad.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The model catalog and per-model settings bind from the environment the way every runtime's Spring
 * environment binds them, with nothing stripped or injected: {@code TRIAD_CATALOG} beside {@code
 * TRIAD_MODELS_{M}_*} (which once collided, as {@code TRIAD_MODELS=iris} did with the map).
 */
class TriadPropertiesTest {

  @Test
  void bind_should_readTheCatalogAndEachModelsSettings_when_givenAsEnvironmentVariables() {
    // given a function's environment as the stacks set it
    TriadProperties properties =
        bind(
            Map.of(
                "TRIAD_CATALOG", "iris, digits",
                "TRIAD_MODELS_IRIS_GATE_MINIMUM", "0.9",
                "TRIAD_MODELS_PENGUINS_TRAININGDATA", "data/penguins/all.csv"));

    // then
    assertThat(properties.catalog()).containsExactly("iris", "digits");
    assertThat(properties.model("iris").gate().minimum()).isEqualTo(0.9);
    assertThat(properties.model("penguins").trainingDataOr("penguins"))
        .isEqualTo("data/penguins/all.csv");
    assertThat(properties.modelNames()).containsExactly("iris", "digits", "penguins");
  }

  @Test
  void modelNames_should_beEmpty_when_nothingIsConfigured() {
    assertThat(bind(Map.of()).modelNames()).isEqualTo(List.of());
  }

  private static TriadProperties bind(Map<String, Object> environment) {
    StandardEnvironment spring = new StandardEnvironment();
    spring
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
    spring.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    return new Binder(ConfigurationPropertySources.get(spring))
        .bind("triad", Bindable.of(TriadProperties.class))
        .orElseGet(TriadProperties::defaults);
  }
}
