package io.triad.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.http.ModelPriming;
import io.triad.functions.store.BlobStore;
import io.triad.gcs.GcsBlobStore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Uploads as a Cloud Function ({@code --entry-point io.triad.gcp.UploadEntry}, trigger {@code
 * google.cloud.storage.object.v1.finalized}): each finalize event becomes an {@link ObjectCreated}
 * for {@code onObjectCreated}. Structured and binary CloudEvents are both decoded by the Functions
 * Framework before this is called.
 *
 * <p>An event that cannot be used is logged and acknowledged; a bad upload is an {@link
 * Outcome.Failed} (set aside under {@code failed/}) and acknowledged too. Only storage faults are
 * thrown, so the invocation fails and Eventarc redelivers. Spring starts in the constructor, once
 * per instance (see {@link HttpEntry}).
 */
public final class UploadEntry implements CloudEventsFunction {
  private static final Logger log = LoggerFactory.getLogger(UploadEntry.class);

  private final Function<ObjectCreated, Outcome> onObjectCreated;
  private final UploadEvents events;

  private final LogMetrics metrics;

  public UploadEntry() {
    this(GcpApplication.start("objects"));
  }

  UploadEntry(ConfigurableApplicationContext context) {
    this.onObjectCreated = context.getBean(FunctionCatalog.class).lookup("onObjectCreated");
    BlobStore store = context.getBean(BlobStore.class);
    String bucket = store instanceof GcsBlobStore gcs ? gcs.bucket() : null;
    this.events = new UploadEvents(context.getBean("triadJson", ObjectMapper.class), bucket);
    context.getBean(ModelPriming.class).prime();
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
    ObjectCreated created;
    try {
      created = events.decode(event);
    } catch (UnusableEvent e) {
      log.warn(
          "acknowledged without processing: CloudEvent id={} source={} type={}: {}",
          event.getId(),
          event.getSource(),
          event.getType(),
          e.getMessage());
      return;
    }
    Outcome outcome = onObjectCreated.apply(created);
    log.info("event {} ({}): {}", event.getId(), created.key(), outcome);
  }
}
