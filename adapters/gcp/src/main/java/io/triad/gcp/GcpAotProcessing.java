package io.triad.gcp;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * What the build's Spring AOT processing starts: the application class's annotated configuration
 * alone (the function catalog, property placeholders), with the defaults every function starts
 * with, so the conditions the build evaluates are the ones a start would. The functional
 * registrations of {@code TriadFunctions} and {@link GcpRuntime} are not processed (AOT cannot
 * generate code for a bean given as a supplier); they run as ever when a function starts, after the
 * generated initializer.
 */
public final class GcpAotProcessing {
  private GcpAotProcessing() {}

  public static void main(String[] args) {
    new SpringApplicationBuilder(GcpApplication.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(GcpApplication.DEFAULTS)
        .run(args);
  }
}
