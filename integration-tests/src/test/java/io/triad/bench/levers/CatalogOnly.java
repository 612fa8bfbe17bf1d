package io.triad.bench.levers;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * Benchmark-only: with {@code spring.boot.enableautoconfiguration=false} (which turns the runtime's
 * {@code @EnableAutoConfiguration} off) and {@code spring.main.sources=} this class, a runtime
 * starts with only the function catalog's auto-configuration, as the GCP adapter does, instead of
 * evaluating every auto-configuration on its class path.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ContextFunctionCatalogAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class})
public class CatalogOnly {}
