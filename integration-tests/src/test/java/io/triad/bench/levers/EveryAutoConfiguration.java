package io.triad.bench.levers;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * Benchmark-only: added to a runtime's start with {@code spring.main.sources=} this class, it
 * evaluates every auto-configuration on the class path again, as the local, AWS and Azure runtimes
 * did before they imported only the function catalog; what that costs a cold start is the lever.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class EveryAutoConfiguration {}
