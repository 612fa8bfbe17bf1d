package io.triad.permissions;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.AfterRetryPolicyProvider;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.triad.functions.testing.CloudCallLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;

/**
 * Records every Azure SDK request made in this JVM, when {@code triad.cloud-calls} names a folder,
 * to {@code azure.jsonl}: which app made it, the method, the URL, {@code x-ms-copy-source} and the
 * status. Azure's SDK builders load every {@link AfterRetryPolicyProvider} on the class path, so no
 * production code knows of it (the test resources' {@code META-INF/services} lists it). The worker
 * driver says which app it is invoking ({@link #as}); a call on another thread of the one worker
 * context is the serving app's (both apps run the same background refresh), and so is one on the
 * rollout checks' thread, which only an answered request starts; a trainer task is known by {@code
 * AZ_BATCH_TASK_ID}, which Batch sets in every task.
 */
public final class AzureCallRecorder implements AfterRetryPolicyProvider, HttpPipelinePolicy {

  /** The application id of the tests' own clients, whose calls no check counts. */
  public static final String TEST_CLIENT = "triad-test-client";

  /** The application id GCP's replica writers' Blob clients name themselves by. */
  private static final String GCP_REPLICAS = "triad-gcp-replicas";

  private static final String AWS_REPLICAS = "triad-aws-replicas";

  private static final ThreadLocal<String> APP = new ThreadLocal<>();

  /** The thread the rollout checks run on ({@code Rollouts}). */
  private static final String ROLLOUTS_THREAD = "triad-rollouts";

  /** The apps being invoked now, each with how many invocations of it are in flight. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Integer> INVOKING =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Runs {@code work} as a call of the Function App {@code app} (serve or functions). */
  public static <T> T as(String app, Callable<T> work) throws Exception {
    String before = APP.get();
    APP.set(app);
    INVOKING.merge(app, 1, Integer::sum);
    try {
      return work.call();
    } finally {
      APP.set(before);
      INVOKING.computeIfPresent(app, (name, count) -> count == 1 ? null : count - 1);
    }
  }

  /**
   * Records a call a double answered itself (the Batch double, reached by the launcher's own HTTP
   * client): the app being invoked, and the data action it took.
   */
  public static void recordAction(String service, String action, String resource, int status) {
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("app", invoking());
    call.put("service", service);
    call.put("action", action);
    call.put("resource", resource);
    call.put("status", status);
    CloudCallLog.append("azure.jsonl", call);
  }

  @Override
  public HttpPipelinePolicy create() {
    return this;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String app = app();
    return next.process().doOnNext(response -> record(app, context, response.getStatusCode()));
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    String app = app();
    HttpResponse response = next.processSync();
    record(app, context, response.getStatusCode());
    return response;
  }

  private static String app() {
    if (System.getenv("AZ_BATCH_TASK_ID") != null) {
      return "trainer";
    }
    String app = APP.get();
    if (app != null) {
      return app;
    }
    if (Thread.currentThread().getName().startsWith(ROLLOUTS_THREAD)) {
      // the rollout checks start with the first request answered: only the serving app has one
      return "serve";
    }
    return invoking();
  }

  /**
   * The one app being invoked now (serve when none is: the HTTP front's calls are not wrapped); two
   * different apps at once cannot be told apart, and are recorded as both, which no role allows.
   */
  private static String invoking() {
    // one snapshot: the live key set can empty between a look at it and a join of it, which once
    // recorded a background flush as made by no app at all ("")
    java.util.Set<String> apps = new java.util.TreeSet<>(INVOKING.keySet());
    return apps.isEmpty() ? "serve" : String.join("+", apps);
  }

  private static void record(String app, HttpPipelineCallContext context, int status) {
    String agent =
        context
            .getHttpRequest()
            .getHeaders()
            .getValue(com.azure.core.http.HttpHeaderName.USER_AGENT);
    if (agent != null && agent.startsWith(TEST_CLIENT)) {
      app = "client";
    } else if (agent != null && agent.startsWith(GCP_REPLICAS)) {
      // GCP's functions, writing as the Azure stack's identity for them (replication.gcpToAzure)
      app = "gcp-replicas";
    } else if (agent != null && agent.startsWith(AWS_REPLICAS)) {
      // AWS's functions, likewise (replication.awsToAzure)
      app = "aws-replicas";
    }
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("app", app);
    call.put("method", context.getHttpRequest().getHttpMethod().name());
    call.put("url", context.getHttpRequest().getUrl().getFile());
    call.put("host", context.getHttpRequest().getUrl().getHost());
    call.put(
        "copySource",
        context
            .getHttpRequest()
            .getHeaders()
            .getValue(com.azure.core.http.HttpHeaderName.fromString("x-ms-copy-source")));
    call.put("status", status);
    CloudCallLog.append("azure.jsonl", call);
  }
}
