package io.triad.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.http.ModelPriming;
import io.triad.functions.metrics.StartPhases;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.monitoring.PayloadLog;
import io.triad.functions.rollout.Rollouts;
import io.triad.functions.telemetry.Telemetry;
import io.triad.functions.training.RetrainingReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Lambda entry point for all three roles: {@code io.triad.aws.LambdaEntry::handleRequest} with
 * {@code TRIAD_FUNCTION} set to http, s3 or schedule, or one of the role's own classes ({@link
 * HttpEntry}, {@link UploadEntry}, {@link ScheduleEntry}). Lambda creates one instance per
 * execution environment, during init: the context starts and the models are primed here, not on the
 * first event. At the end of each invocation the metrics that moved are written as Embedded Metric
 * Format lines ({@link EmfMetrics}).
 */
public class LambdaEntry implements RequestStreamHandler {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LambdaEntry.class);
  private final ObjectMapper json;
  private final LambdaEvents events;
  // held here because CRaC keeps only weak references to registered resources
  private final SnapStartPriming priming;
  private final EmfMetrics metrics;
  private final PayloadLog payloads;
  private final Telemetry telemetry;
  private final Rollouts rollouts;

  public LambdaEntry() {
    this(FunctionRole.parse(System.getenv(AwsSettings.FUNCTION)));
  }

  protected LambdaEntry(FunctionRole role) {
    this(role, startContext(role));
  }

  private static ConfigurableApplicationContext startContext(FunctionRole role) {
    // asked for: the client, ONNX Runtime and priming's first reads on a second thread meanwhile
    if ("on".equalsIgnoreCase(System.getenv(io.triad.settings.AwsContract.START_PREFETCH))) {
      StartPrefetch.begin(
          role,
          AwsSettings.from(System::getenv),
          catalog(System.getenv(io.triad.settings.TriadContract.MODELS)),
          role.name().toLowerCase(java.util.Locale.ROOT));
    }
    long began = StartPhases.begin();
    ConfigurableApplicationContext context = AwsApplication.start(role);
    StartPhases.end("context", began);
    return context;
  }

  private static java.util.List<String> catalog(String models) {
    return models == null
        ? java.util.List.of()
        : java.util.Arrays.stream(models.split(","))
            .map(String::trim)
            .filter(m -> !m.isEmpty())
            .toList();
  }

  /** Over a started context (tests start one with a store of their choice). */
  public LambdaEntry(FunctionRole role, ConfigurableApplicationContext context) {
    this(role, context, System.out);
  }

  /** As above, the metrics' lines written to {@code metricsOut}. */
  LambdaEntry(
      FunctionRole role, ConfigurableApplicationContext context, java.io.PrintStream metricsOut) {
    this.json = context.getBean("triadJson", ObjectMapper.class);
    AwsSettings settings =
        context
            .getBeanProvider(AwsSettings.class)
            .getIfAvailable(() -> AwsSettings.from(context.getEnvironment()::getProperty));
    FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
    this.metrics = new EmfMetrics(context.getBean(TriadMetrics.class), json, metricsOut);
    this.payloads = context.getBean(PayloadLog.class);
    this.telemetry = context.getBean(Telemetry.class);
    // only the HTTP role serves the traffic a rollout is decided from
    this.rollouts = role == FunctionRole.HTTP ? context.getBean(Rollouts.class) : null;
    this.events =
        switch (role) {
          case HTTP -> new HttpEvents(context.getBean(InferenceApi.class));
          case S3 ->
              new UploadEvents(
                  catalog.<Function<ObjectCreated, Outcome>>lookup("onObjectCreated"),
                  settings.requireBucket());
          case SCHEDULE ->
              new ScheduleEvents(
                  catalog.<Function<ScheduledTick, RetrainingReport>>lookup("onSchedule"));
        };
    if (role == FunctionRole.SCHEDULE) {
      // the schedule role serves nothing; its init stays short
      this.priming = null;
    } else {
      ModelPriming models = context.getBean(ModelPriming.class);
      long primingBegan = StartPhases.begin();
      models.prime();
      StartPhases.end("priming", primingBegan);
      this.priming = new SnapStartPriming(models);
      org.crac.Core.getGlobalContext().register(priming);
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    long began = StartPhases.begin();
    try {
      json.writeValue(output, events.handle(json.readTree(input)));
    } finally {
      if (began != 0) {
        // the first event ends the start: where it went, once, as one line
        StartPhases.end("first-event", began);
        log.info("start phases (ms): {}", json.writeValueAsString(StartPhases.report()));
      }
      // Lambda freezes the environment between invocations: nothing may wait in memory for a timer
      try {
        payloads.flush();
      } catch (RuntimeException e) {
        // logged by the payload log; it never fails an invocation
      }
      metrics.flush(System.currentTimeMillis());
      // spans too, when they are exported (triad.otlp.endpoint); a no-op otherwise
      telemetry.flush();
      if (rollouts != null) {
        // the live figures and the rollout decisions, when triad.rollout-check has passed
        rollouts.checkIfDue();
      }
    }
  }
}
