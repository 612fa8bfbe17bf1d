package io.triad.functions.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code triad.logging.json=true}, the one setting for machine-read logs on every runtime: Spring
 * Boot's structured console logging in the Elastic Common Schema (one JSON object a line; the
 * logging context, which holds the request id, model and version, as fields) and a line per HTTP
 * request ({@code triad.access-log}). Either can still be set on its own, and an explicit setting
 * wins. Runs before logging starts, which is why it is an environment post-processor.
 */
public final class JsonLogging implements EnvironmentPostProcessor {
  static final String SWITCH = "triad.logging.json";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    applyTo(environment);
  }

  /** The switch's settings, for a start without {@code SpringApplication} (the clouds'). */
  public static void applyTo(ConfigurableEnvironment environment) {
    if (environment.getProperty(SWITCH, Boolean.class, false)) {
      environment
          .getPropertySources()
          .addLast(
              new MapPropertySource(
                  SWITCH,
                  Map.of("logging.structured.format.console", "ecs", "triad.access-log", "true")));
    }
  }
}
