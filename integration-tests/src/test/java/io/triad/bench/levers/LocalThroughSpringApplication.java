package io.triad.bench.levers;

import io.triad.functions.TriadFunctions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Benchmark-only: the local runtime started as it was before {@code TriadContext}, through Spring
 * Boot's {@code SpringApplication} and the catalog's auto-configuration, with the same command
 * line. The all-runtimes benchmark runs it beside the README's command: what leaving {@code
 * SpringApplication} saves the local start is the lever.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({
  ContextFunctionCatalogAutoConfiguration.class,
  PropertyPlaceholderAutoConfiguration.class
})
public class LocalThroughSpringApplication {
  public static void main(String[] args) throws ReflectiveOperationException {
    // the runtime's classes reach this module only inside its runnable jar; at run time they are
    // on the class path beside this one
    @SuppressWarnings("unchecked")
    ApplicationContextInitializer<GenericApplicationContext> runtime =
        (ApplicationContextInitializer<GenericApplicationContext>)
            Class.forName("io.triad.local.LocalRuntime").getConstructor().newInstance();
    new SpringApplicationBuilder(LocalThroughSpringApplication.class)
        .initializers(new TriadFunctions(), runtime)
        .web(WebApplicationType.NONE)
        .run(args);
  }
}
