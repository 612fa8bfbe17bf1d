package io.triad.aws;

import io.triad.functions.TriadContext;
import io.triad.functions.TriadFunctions;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The suite as one Lambda function: the neutral functions plus {@link AwsRuntime}, started by
 * {@link TriadContext} (no {@code SpringApplication}, no web server).
 */
public final class AwsApplication {
  private AwsApplication() {}

  /**
   * Starts the context for {@code role}; {@code properties} ({@code key=value}) override the
   * environment.
   */
  public static ConfigurableApplicationContext start(FunctionRole role, String... properties) {
    OnnxNatives.usePackaged(System.getenv("LAMBDA_TASK_ROOT"));
    String profile = System.getenv(START_PROFILE);
    BufferingApplicationStartup steps =
        profile == null || profile.isBlank() ? null : new BufferingApplicationStartup(4096);
    TriadContext start =
        TriadContext.using(AwsApplication.class.getClassLoader()).properties(properties);
    if (steps != null) {
      start.recording(steps);
    }
    ConfigurableApplicationContext context =
        start.start(new TriadFunctions(), new AwsRuntime(role));
    if (steps != null) {
      logSlowestBeans(steps, 12);
    }
    return context;
  }

  /**
   * Set to anything, the context's start is recorded step by step and the slowest bean creations
   * are logged once (each with the beans it created on the way): where the context's time goes.
   */
  public static final String START_PROFILE = "TRIAD_START_PROFILE";

  private static void logSlowestBeans(BufferingApplicationStartup steps, int count) {
    java.util.List<String> slowest =
        steps.getBufferedTimeline().getEvents().stream()
            .filter(e -> e.getStartupStep().getName().equals("spring.beans.instantiate"))
            .sorted(
                java.util.Comparator.comparing(
                        org.springframework.boot.context.metrics.buffering.StartupTimeline
                                .TimelineEvent
                            ::getDuration)
                    .reversed())
            .limit(count)
            .map(
                e -> {
                  String bean = "?";
                  for (var tag : e.getStartupStep().getTags()) {
                    if (tag.getKey().equals("beanName")) {
                      bean = tag.getValue();
                    }
                  }
                  return bean + " " + e.getDuration().toMillis() + " ms";
                })
            .toList();
    org.slf4j.LoggerFactory.getLogger(AwsApplication.class)
        .info("slowest bean creations (with what they created): {}", slowest);
  }
}
