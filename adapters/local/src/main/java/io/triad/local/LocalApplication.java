package io.triad.local;

import io.triad.functions.TriadAutoConfiguration;
import io.triad.functions.TriadFunctions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded runtime: the whole suite on one machine with no cloud. {@code java -jar
 * triad-local.jar [--triad.local.bucket=DIR] [--triad.local.port=N]}.
 */
@SpringBootConfiguration
@TriadAutoConfiguration
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
