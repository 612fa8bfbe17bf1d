package io.triad.gcp;

import io.triad.functions.TriadContext;
import io.triad.functions.TriadFunctions;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The suite as one Cloud Functions instance runs it: {@link TriadFunctions} plus {@link
 * GcpRuntime}, started by {@link TriadContext}, no web server (the Functions Framework is the
 * server). Settings come from environment variables: the {@code TRIAD_*} contract, and any {@code
 * triad.*} property in Spring's relaxed form.
 */
public final class GcpApplication {
  private GcpApplication() {}

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
    // functions with its own loader as the thread's context loader, where the jar's service
    // providers are not found: start with the function's loader, then put the caller's back.
    Thread thread = Thread.currentThread();
    ClassLoader caller = thread.getContextClassLoader();
    ClassLoader function = GcpApplication.class.getClassLoader();
    thread.setContextClassLoader(function);
    try {
      return TriadContext.using(function)
          .properties(Map.of(FUNCTION, name))
          .start(new TriadFunctions(), new GcpRuntime());
    } finally {
      thread.setContextClassLoader(caller);
    }
  }
}
