package io.triad.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.RetrainingReport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Retraining ticks as a Cloud Function ({@code --entry-point io.triad.gcp.ScheduleEntry}, trigger
 * {@code google.cloud.pubsub.topic.v1.messagePublished}; Cloud Scheduler publishes the model
 * names): calls {@code onSchedule}, which submits a Cloud Batch job per model.
 *
 * <p>A message that cannot be a tick is logged and acknowledged. A model that could not be
 * submitted fails the invocation, and the stack's trigger retries it (RETRY_POLICY_RETRY, infra's
 * GcpFunctions: Pub/Sub redelivers with backoff for up to a day): {@code onSchedule} claims each
 * version before it submits, so a redelivery, or a second message Cloud Scheduler sends for the
 * same slot, starts no second job. Spring starts in the constructor, once per instance (see {@link
 * HttpEntry}).
 */
public final class ScheduleEntry implements CloudEventsFunction {
  private static final Logger log = LoggerFactory.getLogger(ScheduleEntry.class);

  private final Function<ScheduledTick, RetrainingReport> onSchedule;
  private final ScheduleEvents ticks;

  private final LogMetrics metrics;

  public ScheduleEntry() {
    this(GcpApplication.start("schedule"));
  }

  ScheduleEntry(ConfigurableApplicationContext context) {
    this.onSchedule = context.getBean(FunctionCatalog.class).lookup("onSchedule");
    this.ticks = new ScheduleEvents(context.getBean("triadJson", ObjectMapper.class));
    this.metrics =
        new LogMetrics(
            context.getBean(io.triad.functions.metrics.TriadMetrics.class),
            context.getBean("triadJson", ObjectMapper.class),
            System.out);
  }

  @Override
  public void accept(CloudEvent event) {
    try {
      handle(event);
    } finally {
      metrics.flush();
    }
  }

  private void handle(CloudEvent event) {
    ScheduledTick tick;
    try {
      tick = ticks.decode(event);
    } catch (UnusableEvent e) {
      log.warn(
          "acknowledged without retraining: CloudEvent id={} source={} type={}: {}",
          event.getId(),
          event.getSource(),
          event.getType(),
          e.getMessage());
      return;
    }
    onSchedule.apply(tick).requireLaunched();
  }
}
