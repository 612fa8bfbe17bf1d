package io.triad.azure;

import io.triad.functions.TriadContext;
import io.triad.functions.TriadFunctions;
import io.triad.functions.training.TrainingLauncher;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring context one Functions worker serves every function from: the core's functional
 * registrations plus {@link AzureRuntime}, started by {@link TriadContext}.
 */
public final class AzureApplication {
  private AzureApplication() {}

  /** Starts the context for a deployed app. */
  public static ConfigurableApplicationContext start(AzureSettings settings) {
    return start(settings, null);
  }

  /** Starts it with a launcher of the caller's (null: Azure Batch). */
  public static ConfigurableApplicationContext start(
      AzureSettings settings, TrainingLauncher launcher) {
    return TriadContext.using(AzureApplication.class.getClassLoader())
        .start(new TriadFunctions(), new AzureRuntime(settings, launcher));
  }
}
