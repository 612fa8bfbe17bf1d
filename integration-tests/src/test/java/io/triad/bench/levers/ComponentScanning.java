package io.triad.bench.levers;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Benchmark-only: added to a runtime's own start with {@code --spring.main.sources=} this class, it
 * makes the start annotation-driven as well, scanning every {@code io.triad} package on the class
 * path. The suite declares no {@code @Component}s (its beans are registered functionally), so this
 * measures what scanning costs a cold start.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan("io.triad")
public class ComponentScanning {}
