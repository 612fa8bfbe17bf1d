package io.triad.functions;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;

/**
 * The auto-configuration every runtime's application class takes instead of
 * {@code @EnableAutoConfiguration}: the function catalog and property placeholders, nothing else.
 * Evaluating every candidate on the class path (the cloud SDKs bring many) is cold-start time for
 * nothing the suite uses (docs/benchmarks.md, "All runtimes", levers: 1.12x to 1.19x).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ImportAutoConfiguration({
  ContextFunctionCatalogAutoConfiguration.class,
  PropertyPlaceholderAutoConfiguration.class
})
public @interface TriadAutoConfiguration {}
