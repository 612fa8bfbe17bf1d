package io.triad.functions;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Registrations a cloud function's context takes from its class path: each implementation listed in
 * {@code META-INF/services/io.triad.functions.ContextExtension} runs before the runtime's own
 * registrations, so a bean it registers (a client, a key source) is the one the runtime uses. What
 * {@code spring.factories} initializers were to a {@code SpringApplication}; {@link TriadContext}
 * reads only this list.
 */
public interface ContextExtension
    extends ApplicationContextInitializer<GenericApplicationContext> {}
