package io.triad.aws;

import io.triad.functions.TriadFunctions;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark-only: the HTTP function with its context started as it was before {@link
 * io.triad.functions.TriadContext}, through Spring Boot's {@code SpringApplication} and the
 * catalog's auto-configuration. The all-runtimes benchmark starts it beside {@link HttpEntry} in
 * the same rounds: what leaving {@code SpringApplication} saves a cold start is the lever.
 */
public final class SpringApplicationEntry extends LambdaEntry {
  public SpringApplicationEntry() {
    super(FunctionRole.HTTP, start());
  }

  private static ConfigurableApplicationContext start() {
    OnnxNatives.usePackaged(System.getenv("LAMBDA_TASK_ROOT"));
    return new SpringApplicationBuilder(Configuration.class)
        .initializers(new TriadFunctions(), new AwsRuntime(FunctionRole.HTTP))
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .run();
  }

  /** The application class the functions had: the catalog's auto-configuration, nothing else. */
  @SpringBootConfiguration
  @ImportAutoConfiguration({
    ContextFunctionCatalogAutoConfiguration.class,
    PropertyPlaceholderAutoConfiguration.class
  })
  static class Configuration {}
}
