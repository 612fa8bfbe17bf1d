package io.triad.functions;

import io.triad.functions.config.JsonLogging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.cloud.function.context.FunctionProperties;
import org.springframework.cloud.function.context.FunctionRegistry;
import org.springframework.cloud.function.context.catalog.BeanFactoryAwareFunctionRegistry;
import org.springframework.cloud.function.context.config.JsonMessageConverter;
import org.springframework.cloud.function.context.config.SmartCompositeMessageConverter;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

/**
 * How every runtime starts the suite: a plain {@link GenericApplicationContext} with the functional
 * registrations, not Spring Boot's {@code SpringApplication}. The context is the same every start
 * (no configuration classes, no auto-configuration, no profiles), so what {@code SpringApplication}
 * adds is cold-start time (docs/benchmarks.md, issue 19).
 *
 * <p>What a function still gets from Spring Boot: settings from, in order, the caller's {@link
 * #properties}, the JSON document of {@code SPRING_APPLICATION_JSON} (the stacks' per-model
 * settings), system properties, the environment (relaxed names: {@code TRIAD_ALIASREFRESH} is
 * {@code triad.alias-refresh}) and the packaged {@code application.yaml}; Boot's logging system
 * ({@code logging.level.*}, {@code logging.pattern.console}, structured JSON lines with {@code
 * triad.logging.json}); the function catalog; the context closed when the JVM stops. Registrations
 * listed as {@link ContextExtension}s on the class path run before the runtime's.
 */
public final class TriadContext {
  /** The packaged defaults every runtime ships beside its classes. */
  static final String DEFAULTS = "application.yaml";

  private static final String QUIET_CATALOG =
      "logging.level.org.springframework.cloud.function.context.catalog"
          + ".BeanFactoryAwareFunctionRegistry";

  private final ClassLoader loader;
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private ApplicationStartup startup = ApplicationStartup.DEFAULT;

  private TriadContext(ClassLoader loader) {
    this.loader = loader;
  }

  /** A start whose classes and {@code application.yaml} come from {@code loader}. */
  public static TriadContext using(ClassLoader loader) {
    return new TriadContext(loader);
  }

  /** Settings that outrank every other source. */
  public TriadContext properties(Map<String, ?> settings) {
    properties.putAll(settings);
    return this;
  }

  /** As above, each {@code key=value}. */
  public TriadContext properties(String... settings) {
    for (String setting : settings) {
      int equals = setting.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("a setting is key=value, not '" + setting + "'");
      }
      properties.put(setting.substring(0, equals), setting.substring(equals + 1));
    }
    return this;
  }

  /** Records the context's steps (bean creations and their times) into {@code steps}. */
  public TriadContext recording(ApplicationStartup steps) {
    this.startup = steps;
    return this;
  }

  /**
   * Starts the context: the environment, logging, then the function catalog, the class path's
   * {@link ContextExtension}s and {@code initializers}' registrations, every singleton created. A
   * start that fails leaves nothing open.
   */
  @SafeVarargs
  public final ConfigurableApplicationContext start(
      ApplicationContextInitializer<GenericApplicationContext>... initializers) {
    StandardEnvironment environment = environment();
    LoggingSystem logging = startLogging(environment);
    GenericApplicationContext context = new GenericApplicationContext();
    try {
      context.setClassLoader(loader);
      context.setEnvironment(environment);
      context.setApplicationStartup(startup);
      // as SpringApplication has it: a second registration under a name is a mistake, not a swap
      context.setAllowBeanDefinitionOverriding(false);
      context.addApplicationListener(
          event -> {
            if (event instanceof ContextClosedEvent closed && closed.getSource() == context) {
              logging.cleanUp();
            }
          });
      registerCatalog(context);
      for (ContextExtension extension : ServiceLoader.load(ContextExtension.class, loader)) {
        extension.initialize(context);
      }
      for (ApplicationContextInitializer<GenericApplicationContext> initializer : initializers) {
        initializer.initialize(context);
      }
      context.refresh();
      context.registerShutdownHook();
      return context;
    } catch (RuntimeException e) {
      // refresh has destroyed what it created; the logging system is ours to put back
      logging.cleanUp();
      throw e;
    }
  }

  private StandardEnvironment environment() {
    StandardEnvironment environment = new StandardEnvironment();
    if (!properties.isEmpty()) {
      environment.getPropertySources().addFirst(new MapPropertySource("triad.start", properties));
    }
    ClassPathResource defaults = new ClassPathResource(DEFAULTS, loader);
    if (defaults.exists()) {
      try {
        for (PropertySource<?> document : new YamlPropertySourceLoader().load(DEFAULTS, defaults)) {
          environment.getPropertySources().addLast(document);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the packaged " + DEFAULTS, e);
      }
    }
    // below everything: Spring Cloud Function 4.3 warns "Failed to locate function" for each
    // functionally registered function it then finds
    environment
        .getPropertySources()
        .addLast(new MapPropertySource("triad.context-defaults", Map.of(QUIET_CATALOG, "error")));
    // the per-model settings the stacks give as one JSON document (SPRING_APPLICATION_JSON)
    new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, null);
    JsonLogging.applyTo(environment);
    // relaxed names for every lookup, as a Spring Boot application has them
    ConfigurationPropertySources.attach(environment);
    return environment;
  }

  /** Boot's logging system, configured from the environment as Boot's own start would. */
  private LoggingSystem startLogging(StandardEnvironment environment) {
    LoggingSystem logging = LoggingSystem.get(loader);
    // a context started before in this JVM and not closed keeps its configuration otherwise
    logging.cleanUp();
    logging.beforeInitialize();
    // a log file too, where logging.file.name or logging.file.path asks for one
    logging.initialize(
        new LoggingInitializationContext(environment), null, LogFile.get(environment));
    Map<String, String> levels =
        Binder.get(environment)
            .bind("logging.level", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    levels.forEach(
        (logger, level) ->
            logging.setLogLevel(
                logger.equalsIgnoreCase(LoggingSystem.ROOT_LOGGER_NAME) ? null : logger,
                level(logger, level)));
    return logging;
  }

  private static LogLevel level(String logger, String level) {
    String name = level.trim().toUpperCase(Locale.ROOT);
    // YAML reads an unquoted off as false
    if (name.equals("FALSE")) {
      return LogLevel.OFF;
    }
    for (LogLevel known : LogLevel.values()) {
      if (known.name().equals(name)) {
        return known;
      }
    }
    throw new IllegalArgumentException(
        "the setting logging.level."
            + logger
            + "="
            + level
            + " is not a level (one of "
            + List.of(LogLevel.values())
            + ")");
  }

  /**
   * The function catalog as Spring Cloud Function's auto-configuration builds it, its JSON the
   * suite's own mapper ({@code triadJson}); the suite looks its functions up by name, so no routing
   * function and no scanning for function beans.
   */
  private static void registerCatalog(GenericApplicationContext context) {
    context.registerBean(
        "functionCatalog",
        FunctionRegistry.class,
        () -> {
          JacksonMapper json =
              new JacksonMapper(
                  context.getBean("triadJson", com.fasterxml.jackson.databind.ObjectMapper.class));
          DefaultConversionService conversions = new DefaultConversionService();
          return new BeanFactoryAwareFunctionRegistry(
              conversions,
              new SmartCompositeMessageConverter(
                  List.of(
                      new JsonMessageConverter(json),
                      new ByteArrayMessageConverter(),
                      new StringMessageConverter())),
              json,
              new FunctionProperties(),
              null);
        });
  }
}
