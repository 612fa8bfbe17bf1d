package io.triad.gcp;

import io.triad.functions.TriadAutoConfiguration;
import io.triad.functions.TriadFunctions;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The suite as one Cloud Functions instance runs it: {@link TriadFunctions} plus {@link
 * GcpRuntime}, no web server (the Functions Framework is the server). Settings come from
 * environment variables: the {@code TRIAD_*} contract, and any {@code triad.*} property in Spring's
 * relaxed form.
 */
@SpringBootConfiguration
@TriadAutoConfiguration
public class GcpApplication {
  /**
   * Which function a context is: {@code http}, {@code objects} or {@code schedule}. Its Google
   * clients say so in their User-Agent ({@code triad/NAME}), which Cloud Audit Logs record.
   */
  public static final String FUNCTION = "triad.gcp.function";

  /**
   * Starts one context for {@code function}; each entry point's instance owns the one it started.
   */
  public static ConfigurableApplicationContext start(String name) {
    // The invoker loads the function jar in a class loader of its own but constructs CloudEvent
    // functions with its own loader as the thread's context loader, where Spring would find none of
    // the jar's auto-configuration: start with the function's loader, then put the caller's back.
    Thread thread = Thread.currentThread();
    ClassLoader caller = thread.getContextClassLoader();
    ClassLoader function = GcpApplication.class.getClassLoader();
    thread.setContextClassLoader(function);
    try {
      return new SpringApplicationBuilder(GcpApplication.class)
          // with -Dspring.aot.enabled=true (the stack's JAVA_TOOL_OPTIONS), Spring looks for the
          // build's generated initializer by this class's name (the build processes it)
          .main(GcpAotProcessing.class)
          .resourceLoader(new DefaultResourceLoader(function))
          .initializers(new TriadFunctions(), new GcpRuntime())
          .web(WebApplicationType.NONE)
          .bannerMode(Banner.Mode.OFF)
          .logStartupInfo(false)
          .properties(DEFAULTS)
          .properties(Map.of(FUNCTION, name))
          .run();
    } finally {
      thread.setContextClassLoader(caller);
    }
  }

  /**
   * SCF would pick Gson when Gson is on the class path (the Google clients bring it); the suite's
   * JSON is Jackson.
   */
  static final Map<String, Object> DEFAULTS =
      Map.of("spring.cloud.function.preferred-json-mapper", "jackson");
}
