package io.triad.aws;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * What the build's Spring AOT processing starts: the application class's annotated configuration
 * alone (the function catalog, property placeholders). The functional registrations of {@code
 * TriadFunctions} and {@link AwsRuntime} are not processed (AOT cannot generate code for a bean
 * given as a supplier); they run as ever when a function starts, after the generated initializer.
 */
public final class AwsAotProcessing {
  private AwsAotProcessing() {}

  public static void main(String[] args) {
    new SpringApplicationBuilder(AwsApplication.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .run(args);
  }
}
