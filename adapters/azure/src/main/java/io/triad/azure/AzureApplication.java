package io.triad.azure;

import io.triad.functions.TriadAutoConfiguration;
import io.triad.functions.TriadFunctions;
import io.triad.functions.training.TrainingLauncher;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring context one Functions worker serves every function from: the core's functional
 * registrations plus {@link AzureRuntime}; no component scanning.
 */
@SpringBootConfiguration
@TriadAutoConfiguration
public class AzureApplication {

  /** Starts the context for a deployed app. */
  public static ConfigurableApplicationContext start(AzureSettings settings) {
    return start(settings, null);
  }

  /** Starts it with a launcher of the caller's (null: Azure Batch). */
  public static ConfigurableApplicationContext start(
      AzureSettings settings, TrainingLauncher launcher) {
    return new SpringApplicationBuilder(AzureApplication.class)
        .initializers(new TriadFunctions(), new AzureRuntime(settings, launcher))
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .run();
  }
}
