package io.triad.azure;

import io.triad.functions.TriadAutoConfiguration;
import io.triad.functions.TriadFunctions;
import io.triad.functions.training.TrainingLauncher;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The Spring context one Functions worker serves every function from: the core's functional
 * registrations plus {@link AzureRuntime}; no component scanning.
 */
@SpringBootConfiguration
@TriadAutoConfiguration
public class AzureApplication {

  /** Starts the context for a deployed app. */
  public static ConfigurableApplicationContext start(AppSettings settings) {
    return start(settings, null);
  }

  /** Starts it with a launcher of the caller's (null: Azure Batch). */
  public static ConfigurableApplicationContext start(AppSettings settings, TrainingLauncher launcher) {
    return new SpringApplicationBuilder(AzureApplication.class)
        .initializers(new TriadFunctions(), new AzureRuntime(settings, launcher))
        .environment(environment())
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .properties(modelDefaults(settings))
        .run();
  }

  /**
   * The process environment without the contract settings, which {@link AppSettings} reads by name:
   * left in, {@code TRIAD_MODELS=iris} would bind to {@code triad.models} and fail as a map. Other
   * settings still bind the usual way ({@code TRIAD_MODELS_IRIS_GATE_MINIMUM=0.9}).
   */
  private static StandardEnvironment environment() {
    StandardEnvironment environment = new StandardEnvironment();
    Map<String, Object> variables = new HashMap<>(environment.getSystemEnvironment());
    AppSettings.NAMES.forEach(variables::remove);
    environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    return environment;
  }

  /** Every model in TRIAD_MODELS is a configured model (readiness checks it), with the core's defaults. */
  private static Map<String, Object> modelDefaults(AppSettings settings) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    settings.models().forEach(m -> defaults.put("triad.models." + m + ".training-data", "data/" + m + "/train.csv"));
    return defaults;
  }
}
