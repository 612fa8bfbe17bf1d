package io.triad.local;

import io.triad.functions.TriadFunctions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded runtime: the whole suite on one machine with no cloud. {@code java -jar
 * triad-local.jar [--triad.local.bucket=DIR] [--triad.local.port=N]}.
 */
@SpringBootConfiguration
// only the function catalog, as on GCP: evaluating every auto-configuration on the class path is
// cold-start time for nothing the suite uses (docs/benchmarks.md, "All runtimes", levers)
@ImportAutoConfiguration({ContextFunctionCatalogAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class})
public class LocalApplication {

  public static void main(String[] args) {
    start(args);
  }

  /** Starts the runtime; the caller closes the context to stop it. */
  public static ConfigurableApplicationContext start(String... args) {
    return new SpringApplicationBuilder(LocalApplication.class)
        .initializers(new TriadFunctions(), new LocalRuntime())
        .web(WebApplicationType.NONE)
        .run(args);
  }
}
