package io.triad.gcp;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.http.ModelPriming;
import io.triad.functions.metrics.StartPhases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP API as a Cloud Function ({@code --entry-point io.triad.gcp.HttpEntry}): decodes the
 * request into an {@link HttpCall}, lets {@link InferenceApi} answer, encodes the {@link
 * HttpAnswer}.
 *
 * <p>Spring starts in the constructor. The Functions Framework creates exactly one instance of the
 * target class per server process (before it listens), so this is once per Cloud Run instance, with
 * no static holder; requests arrive only once the context is up.
 */
public final class HttpEntry implements HttpFunction {
  private final InferenceApi api;
  private final LogMetrics metrics;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpEntry.class);

  public HttpEntry() {
    this(startContext());
  }

  private static ConfigurableApplicationContext startContext() {
    long began = StartPhases.begin();
    ConfigurableApplicationContext context = GcpApplication.start("http");
    StartPhases.end("context", began);
    return context;
  }

  HttpEntry(ConfigurableApplicationContext context) {
    this(context, System.out);
  }

  /** As above, the metrics' lines written to {@code metricsOut}. */
  HttpEntry(ConfigurableApplicationContext context, java.io.PrintStream metricsOut) {
    this.api = context.getBean(InferenceApi.class);
    this.metrics =
        new LogMetrics(
            context.getBean(io.triad.functions.metrics.TriadMetrics.class),
            context.getBean("triadJson", com.fasterxml.jackson.databind.ObjectMapper.class),
            metricsOut);
    long began = StartPhases.begin();
    context.getBean(ModelPriming.class).prime();
    StartPhases.end("priming", began);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    long began = StartPhases.begin();
    HttpAnswer answer;
    try {
      answer = answer(request);
    } finally {
      metrics.flush();
      if (began != 0) {
        // the first request ends the start: where it went, once, as one line
        StartPhases.end("first-request", began);
        log.info("start phases (ms): {}", StartPhases.report());
      }
    }
    response.setStatusCode(answer.status());
    answer.headers().forEach(response::appendHeader);
    if (!request.getMethod().equals("HEAD") && answer.body().length > 0) {
      try (OutputStream out = response.getOutputStream()) {
        out.write(answer.body());
      }
    }
  }

  private HttpAnswer answer(HttpRequest request) throws IOException {
    Map<String, String> headers = new HashMap<>();
    request.getHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      // never more than the limit in memory; the same 413 as the local runtime above it
      body = in.readNBytes(api.maxBodyBytes() + 1);
      if (body.length > api.maxBodyBytes()) {
        in.transferTo(OutputStream.nullOutputStream());
        return api.bodyTooLarge(headers);
      }
    }
    return api.handle(new HttpCall(request.getMethod(), request.getPath(), headers, body));
  }
}
