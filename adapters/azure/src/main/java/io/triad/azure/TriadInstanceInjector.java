package io.triad.azure;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker's hook (found through {@code META-INF/services}): it asks for the handler object on
 * every invocation, and this answers with the one bean of that class from the one Spring context of
 * this worker, created on the first call.
 *
 * <p>Not Spring Cloud Function's {@code AzureFunctionInstanceInjector}: that one finds its
 * configuration by looking for a start class across the classpath, looks beans up by type on every
 * call, and after a failed start keeps the closed context for later calls.
 */
public final class TriadInstanceInjector implements FunctionInstanceInjector {

  @Override
  public <T> T getInstance(Class<T> functionClass) {
    return WorkerContext.get().getBean(functionClass);
  }

  /**
   * The worker may make more than one injector (one per function is allowed), but all of them must
   * share the context: a second one would load every model again. Hence one holder per class
   * loader, which is the worker's; a failed start is not kept, so the next invocation tries again.
   */
  static final class WorkerContext {
    private static ConfigurableApplicationContext context;

    private WorkerContext() {}

    static synchronized ConfigurableApplicationContext get() {
      if (context == null || !context.isActive()) {
        context = AzureApplication.start(AzureSettings.fromProcess());
        // prime once per worker, so the first invocation pays for no session
        context.getBean(io.triad.functions.http.ModelPriming.class).prime();
      }
      return context;
    }

    /** The worker never closes it (the process ends); tests end what they started. */
    static synchronized void close() {
      if (context != null) {
        context.close();
        context = null;
      }
    }
  }
}
