package io.triad.aws;

import io.triad.functions.TriadAutoConfiguration;
import io.triad.functions.TriadFunctions;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The suite as one Lambda function: the neutral functions plus {@link AwsRuntime}, no web server.
 */
@SpringBootConfiguration
@TriadAutoConfiguration
public class AwsApplication {

  /**
   * Starts the context for {@code role}; {@code properties} ({@code key=value}) override the
   * environment.
   */
  public static ConfigurableApplicationContext start(FunctionRole role, String... properties) {
    OnnxNatives.usePackaged(System.getenv("LAMBDA_TASK_ROOT"));
    return new SpringApplicationBuilder(AwsApplication.class)
        .initializers(new TriadFunctions(), new AwsRuntime(role))
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(properties)
        .run();
  }
}
