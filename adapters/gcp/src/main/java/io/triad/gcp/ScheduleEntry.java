package io.triad.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.api.TriadError;
import io.triad.functions.training.LaunchedTraining;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Retraining ticks as a Cloud Function ({@code --entry-point io.triad.gcp.ScheduleEntry}, trigger
 * {@code google.cloud.pubsub.topic.v1.messagePublished}; Cloud Scheduler publishes the model names):
 * calls {@code onSchedule}, which submits a Cloud Batch job, and logs the job's name.
 *
 * <p>A message that names no model, or a model with no training data, is logged and acknowledged.
 * A submission that fails (Batch refused it, settings missing) is thrown: the invocation fails with
 * the cause in the log. Spring starts in the constructor, once per instance (see {@link HttpEntry}).
 */
public final class ScheduleEntry implements CloudEventsFunction {
  private static final Logger log = LoggerFactory.getLogger(ScheduleEntry.class);

  private final Function<ScheduledTick, LaunchedTraining> onSchedule;
  private final ScheduleTicks ticks;

  public ScheduleEntry() {
    this(GcpApplication.start());
  }

  ScheduleEntry(ConfigurableApplicationContext context) {
    this.onSchedule = context.getBean(FunctionCatalog.class).lookup("onSchedule");
    this.ticks = new ScheduleTicks(context.getBean("triadJson", ObjectMapper.class));
  }

  @Override
  public void accept(CloudEvent event) {
    List<ScheduledTick> ticks;
    try {
      ticks = this.ticks.decode(event);
    } catch (UnusableEvent e) {
      log.warn("acknowledged without retraining: CloudEvent id={} source={} type={}: {}",
          event.getId(), event.getSource(), event.getType(), e.getMessage());
      return;
    }
    List<String> failures = new ArrayList<>();
    for (ScheduledTick tick : ticks) {
      try {
        LaunchedTraining launched = onSchedule.apply(tick);
        log.info("submitted Cloud Batch job {} to retrain {} as version {} (candidate {})",
            launched.jobId(), launched.model(), launched.version(), launched.candidatePrefix());
      } catch (TriadError e) {
        log.warn("acknowledged without retraining: {} ({})", tick.schedule(), e.getMessage());
      } catch (RuntimeException e) {
        log.error("retraining not submitted for {}: {}", tick.schedule(), e.getMessage());
        failures.add(tick.schedule() + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      // every model was tried; the invocation fails so the cause is visible and Pub/Sub redelivers
      throw new IllegalStateException("retraining not submitted for " + String.join("; ", failures));
    }
  }
}
