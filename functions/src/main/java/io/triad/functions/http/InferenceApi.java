package io.triad.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ErrorBody;
import io.triad.functions.api.Failure;
import io.triad.functions.api.InferenceCall;
import io.triad.functions.api.InferenceRequest;
import io.triad.functions.api.InferenceResponse;
import io.triad.functions.api.JsonProblems;
import io.triad.functions.api.PredictCall;
import io.triad.functions.api.Predictions;
import io.triad.functions.api.RequestId;
import io.triad.functions.api.TriadError;
import io.triad.functions.metrics.RequestPhases;
import io.triad.functions.metrics.TriadMetrics;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.ModelLease;
import io.triad.functions.model.ModelRegistry;
import io.triad.functions.monitoring.PayloadLog;
import io.triad.functions.rollout.LiveFigures;
import io.triad.functions.telemetry.Telemetry;
import io.triad.functions.telemetry.TraceContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, identical on every runtime: Open Inference Protocol v2 plus {@code :predict} for
 * feature records. Adapters decode their event into an {@link HttpCall} and encode the {@link
 * HttpAnswer}; routing, limits and error bodies live here once.
 */
public final class InferenceApi {
  private static final Logger log = LoggerFactory.getLogger(InferenceApi.class);

  private final Function<InferenceCall, InferenceResponse> predict;
  private final Function<PredictCall, Predictions> predictRecords;
  private final ModelRegistry registry;
  private final ModelStates states;
  private final ObjectMapper json;
  private final ApiSettings settings;
  private final TriadMetrics metrics;
  private final PayloadLog payloads;
  private final Telemetry telemetry;
  private final Shadows shadows;
  private final LiveFigures figures;

  public InferenceApi(
      Function<InferenceCall, InferenceResponse> predict,
      Function<PredictCall, Predictions> predictRecords,
      ModelRegistry registry,
      ModelStates states,
      ObjectMapper json,
      ApiSettings settings,
      TriadMetrics metrics,
      PayloadLog payloads,
      Telemetry telemetry,
      Shadows shadows,
      LiveFigures figures) {
    this.figures = figures;
    this.metrics = metrics;
    this.telemetry = telemetry;
    this.shadows = shadows;
    this.payloads = payloads;
    this.predict = predict;
    this.predictRecords = predictRecords;
    this.registry = registry;
    this.states = states;
    this.json = json;
    this.settings = settings;
  }

  /** The largest body {@link #handle} accepts; runtimes that stream bodies stop reading past it. */
  public int maxBodyBytes() {
    return settings.maxBodyBytes();
  }

  /**
   * The 413 for a body over the limit, for runtimes that stop reading at the limit and so never
   * call {@link #handle}: the same answer whichever side of the adapter notices.
   */
  public HttpAnswer bodyTooLarge() {
    return error(413, tooLargeMessage());
  }

  /** As {@link #bodyTooLarge()}, with the request's id from its {@code headers}. */
  public HttpAnswer bodyTooLarge(Map<String, String> headers) {
    return withId(bodyTooLarge(), RequestId.of(new HttpCall("POST", "/", headers, null)::header));
  }

  private String tooLargeMessage() {
    return "the body is larger than the limit of " + settings.maxBodyBytes() + " bytes";
  }

  /**
   * Answers {@code call}; the answer names the request's id ({@link RequestId}) in {@code
   * x-request-id}, and so does every log line written while it is handled.
   */
  public HttpAnswer handle(HttpCall call) {
    return handle(call, true);
  }

  /**
   * As {@link #handle(HttpCall)}, for the runtime's own calls (warming a model at start): no
   * metrics and no access line, so what is counted is what clients sent.
   */
  HttpAnswer handleUncounted(HttpCall call) {
    return handle(call, false);
  }

  private HttpAnswer handle(HttpCall call, boolean counted) {
    long start = System.nanoTime();
    long startEpochNanos = telemetry == Telemetry.OFF ? 0 : epochNanos();
    String id = RequestId.of(call::header);
    org.slf4j.MDC.put(RequestId.MDC_KEY, id);
    RequestPhases.Gathered phases = RequestPhases.begin();
    try {
      Route[] routed = new Route[1];
      HttpAnswer answer = answer(call, id, routed);
      if (!counted) {
        return withId(answer, id);
      }
      long end = System.nanoTime();
      String model = tag(org.slf4j.MDC.get("model"));
      String version = tag(org.slf4j.MDC.get(ModelRegistry.MODEL_VERSION_KEY));
      String route = tag(org.slf4j.MDC.get("route"));
      metrics.request(model, version, route, answer.status(), end - start, phases);
      live(routed[0], answer.status(), end - start);
      if (telemetry != Telemetry.OFF) {
        telemetry.request(
            new Telemetry.FinishedRequest(
                call.method() + " " + route,
                TraceContext.parse(call.header(RequestId.TRACEPARENT)).orElse(null),
                Map.of(
                    "triad.request_id", id,
                    "triad.model", model,
                    "triad.model_version", version,
                    "triad.route", route,
                    "http.request.method", call.method()),
                answer.status(),
                startEpochNanos,
                start,
                end,
                phases));
      }
      if (settings.accessLog()) {
        access(call, answer, start);
      }
      return withId(answer, id);
    } finally {
      RequestPhases.end();
      for (String key : REQUEST_KEYS) {
        org.slf4j.MDC.remove(key);
      }
    }
  }

  /**
   * A request the aliases routed (no version asked for) into the live figures a rollout decides
   * from: a failure is an answer of 500 or over other than 503 (a store fault or a model not ready
   * is no version's doing), or any answer after the model itself failed to run.
   */
  private void live(Route route, int status, long nanos) {
    if (figures == null
        || route == null
        || route.version() != null
        || (route.kind() != Route.Kind.INFER && route.kind() != Route.Kind.PREDICT)) {
      return;
    }
    String model = org.slf4j.MDC.get("model");
    String fault = org.slf4j.MDC.get(io.triad.functions.inference.Predictor.MODEL_FAULT_KEY);
    String version = org.slf4j.MDC.get(ModelRegistry.MODEL_VERSION_KEY);
    if (model != null && (version != null || fault != null)) {
      figures.answered(
          model,
          version != null ? version : fault,
          fault != null || (status >= 500 && status != 503),
          nanos);
    }
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** What the logging context holds while a request is handled. */
  private static final List<String> REQUEST_KEYS =
      List.of(
          RequestId.MDC_KEY,
          "model",
          ModelRegistry.MODEL_VERSION_KEY,
          io.triad.functions.inference.Predictor.MODEL_FAULT_KEY,
          "route",
          "status",
          "duration_ms");

  private static String tag(String value) {
    return value == null ? "-" : value;
  }

  private static final Logger ACCESS = LoggerFactory.getLogger("io.triad.access");

  /**
   * One line per request ({@code triad.access-log}): method, path, status and time, and in the
   * logging context the model, the version that answered, the status and the duration, which
   * structured logs write as fields.
   */
  private static void access(HttpCall call, HttpAnswer answer, long start) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    org.slf4j.MDC.put("status", Integer.toString(answer.status()));
    org.slf4j.MDC.put("duration_ms", Long.toString(millis));
    ACCESS.info("{} {} {} {} ms", call.method(), clip(call.path()), answer.status(), millis);
  }

  /** {@code answer} with the request id header added. */
  static HttpAnswer withId(HttpAnswer answer, String id) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(answer.headers());
    headers.put(RequestId.HEADER, id);
    return new HttpAnswer(answer.status(), headers, answer.body());
  }

  private HttpAnswer answer(HttpCall call, String id, Route[] routed) {
    Route route = null;
    try {
      route = Route.parse(call.path());
      routed[0] = route;
      org.slf4j.MDC.put("route", route.kind().name().toLowerCase(java.util.Locale.ROOT));
      // only a configured model names a series or a log field: a made-up path makes neither
      if (route.model() != null && settings.models().contains(route.model())) {
        org.slf4j.MDC.put("model", route.model());
      }
      return route(call, route);
    } catch (TriadError e) {
      if ((e.kind() == TriadError.Kind.NOT_FOUND || e.kind() == TriadError.Kind.NOT_READY)
          && isTraining(route)) {
        // a configured model still training its first version is not "no such model"
        return error(503, route.model() + " is " + states.forReadiness(route.model()).reason());
      }
      return error(e.status(), e.getMessage());
    } catch (JsonProcessingException e) {
      return error(400, JsonProblems.describe(e));
    } catch (RuntimeException e) {
      Failure failure = Failure.of(e);
      if (failure instanceof Failure.Transient fault && !(fault.cause() instanceof TriadError)) {
        // the request id is the reference: the caller has it, and so does every log line
        log.error("{} {} failed (reference {})", call.method(), call.path(), id, e);
        return error(failure.status(), failure.message() + "; reference " + id);
      }
      return error(failure.status(), failure.message());
    }
  }

  /** The version that answered, for the request's log lines. */
  private static void answeredBy(String version) {
    if (version != null) {
      org.slf4j.MDC.put(ModelRegistry.MODEL_VERSION_KEY, version);
    }
  }

  private boolean isTraining(Route route) {
    return route != null
        && route.model() != null
        && settings.models().contains(route.model())
        && states.forReadiness(route.model()).state() == ModelStates.State.TRAINING;
  }

  private HttpAnswer route(HttpCall call, Route route) throws JsonProcessingException {
    return switch (route.kind()) {
      case LIVE -> get(call, () -> ok(Map.of("live", true)));
      case READY -> get(call, this::serverReady);
      case MODELS -> get(call, this::models);
      case SERVER ->
          get(
              call,
              () ->
                  ok(
                      Map.of(
                          "name",
                          "triad",
                          "version",
                          settings.serverVersion(),
                          "extensions",
                          List.of())));
      case MODEL -> get(call, () -> metadata(route));
      case MODEL_READY -> get(call, () -> modelReady(route));
      case INFER -> post(call, () -> infer(call, route));
      case PREDICT -> post(call, () -> predictRecords(call, route));
      case OPENAPI -> get(call, () -> HttpAnswer.json(200, OpenApi.document()));
      case UNKNOWN -> error(404, "no route for " + call.method() + " " + clip(call.path()));
    };
  }

  private HttpAnswer infer(HttpCall call, Route route) throws JsonProcessingException {
    InferenceRequest request = readBody(call, InferenceRequest.class);
    InferenceResponse response =
        predict.apply(new InferenceCall(route.model(), route.version(), request));
    answeredBy(response.modelVersion());
    if (payloads != null && payloads.on(response.modelName())) {
      payloads.inferred(
          response.modelName(),
          response.modelVersion(),
          org.slf4j.MDC.get(RequestId.MDC_KEY),
          request,
          response);
    }
    return encoded(response);
  }

  /**
   * Scores the instances in micro-batches, so that a body of many small pictures never becomes one
   * tensor (and one set of activations) of them all: memory follows the batch, not the body. The
   * first batch's version answers for the rest, so one answer never mixes two versions.
   */
  private HttpAnswer predictRecords(HttpCall call, Route route) throws JsonProcessingException {
    JsonNode body = readBody(call, JsonNode.class);
    JsonNode instances = body == null ? null : body.get("instances");
    if (instances == null || !instances.isArray()) {
      throw TriadError.badRequest("the body must be {\"instances\": [...]}");
    }
    List<JsonNode> list = new ArrayList<>(instances.size());
    instances.forEach(list::add);
    if (list.size() <= settings.microBatchRows()) {
      Predictions predictions =
          predictRecords.apply(PredictCall.json(route.model(), route.version(), list));
      answeredBy(predictions.modelVersion());
      logPayload(predictions, list);
      shadow(route, list, predictions);
      return encoded(predictions);
    }
    String version = route.version();
    String model = route.model();
    List<Map<String, Object>> predictions = new ArrayList<>(list.size());
    for (int from = 0; from < list.size(); from += settings.microBatchRows()) {
      List<JsonNode> batch =
          list.subList(from, Math.min(list.size(), from + settings.microBatchRows()));
      Predictions part =
          predictRecords.apply(
              new PredictCall(
                  route.model(),
                  version,
                  batch,
                  new PredictCall.RowOrigin("instances", from, false)));
      version = part.modelVersion();
      model = part.modelName();
      predictions.addAll(part.predictions());
    }
    answeredBy(version);
    Predictions answered = new Predictions(model, version, predictions);
    logPayload(answered, list);
    shadow(route, list, answered);
    return encoded(answered);
  }

  /** A copy of production traffic (no version asked for) for the model's shadow, if any. */
  private void shadow(Route route, List<JsonNode> instances, Predictions answered) {
    if (shadows != null && route.version() == null) {
      shadows.afterPredict(org.slf4j.MDC.get(RequestId.MDC_KEY), instances, answered);
    }
  }

  /** The answered request and its predictions into the payload log, when the model samples it. */
  private void logPayload(Predictions predictions, List<JsonNode> instances) {
    if (payloads != null && payloads.on(predictions.modelName())) {
      payloads.predicted(
          predictions.modelName(),
          predictions.modelVersion(),
          org.slf4j.MDC.get(RequestId.MDC_KEY),
          instances,
          predictions.predictions());
    }
  }

  /** A prediction's answer, its writing timed as part of the postprocessing. */
  private HttpAnswer encoded(Object body) throws JsonProcessingException {
    long start = System.nanoTime();
    try {
      return ok(body);
    } finally {
      RequestPhases.since(RequestPhases.Phase.POSTPROCESS, start);
    }
  }

  private HttpAnswer metadata(Route route) throws JsonProcessingException {
    try (ModelLease lease = registry.acquire(route.model(), route.version())) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", lease.name());
      body.put(
          "versions",
          route.version() != null ? List.of(lease.version()) : registry.versions(lease.name()));
      body.put("platform", "onnxruntime_onnx");
      body.put("inputs", lease.signature().inputList());
      body.put("outputs", lease.signature().outputList());
      if (route.version() == null) {
        body.put("version", lease.version());
        String refused = registry.refusal(lease.name());
        if (refused != null) {
          // the alias names another version, which was refused: say why this one answers
          body.put("refused", refused + "; version " + lease.version() + " keeps serving");
        }
      }
      return ok(body);
    }
  }

  private HttpAnswer modelReady(Route route) throws JsonProcessingException {
    ModelRegistry.Readiness readiness = registry.readiness(route.model(), route.version());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", route.model());
    body.put("version", readiness.version());
    body.put("ready", readiness.ready());
    if (readiness.ready() && readiness.reason() != null) {
      body.put("refused", readiness.reason());
    }
    if (!readiness.ready()) {
      body.put("error", readiness.reason());
      return answer(503, body);
    }
    return ok(body);
  }

  /**
   * Ready when every configured model that has a production alias serves and none is still training
   * its first version (the Open Inference Protocol: the server is ready when its models are).
   */
  private HttpAnswer serverReady() throws JsonProcessingException {
    List<String> waiting = new ArrayList<>();
    for (String model : settings.models()) {
      ModelStates.ModelState state = states.forReadiness(model);
      if (state.holdsReadiness()) {
        waiting.add(model + ": " + state.reason());
      }
    }
    if (waiting.isEmpty()) {
      return ok(Map.of("ready", true));
    }
    return answer(503, Map.of("ready", false, "error", String.join("; ", waiting)));
  }

  /** {@code GET /v2/models}: every configured model with its state, versions and training. */
  private HttpAnswer models() throws JsonProcessingException {
    List<Map<String, Object>> models = new ArrayList<>();
    for (String model : settings.models()) {
      ModelStates.ModelState state = states.of(model);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", state.name());
      entry.put("state", state.state().name().toLowerCase(java.util.Locale.ROOT));
      entry.put("version", state.version());
      entry.put("versions", state.versions());
      if (state.reason() != null) {
        entry.put("reason", state.reason());
      }
      if (state.training() != null) {
        entry.put("training", state.training());
      }
      if (state.canary() != null) {
        entry.put("canary", state.canary());
      }
      if (state.shadow() != null) {
        entry.put("shadow", state.shadow());
      }
      models.add(entry);
    }
    return ok(Map.of("models", models));
  }

  private <T> T readBody(HttpCall call, Class<T> type) throws JsonProcessingException {
    checkContentType(call.header("Content-Type"));
    byte[] body = call.body();
    if (body.length > settings.maxBodyBytes()) {
      throw new TriadError(TriadError.Kind.PAYLOAD_TOO_LARGE, tooLargeMessage());
    }
    if (body.length == 0) {
      throw TriadError.badRequest("the body is empty; send a JSON object");
    }
    T value;
    long start = System.nanoTime();
    try {
      value = json.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw TriadError.badRequest("the body cannot be read: " + e.getMessage());
    } finally {
      RequestPhases.since(RequestPhases.Phase.DECODE, start);
    }
    if (value == null) {
      throw TriadError.badRequest("the body is JSON null; send a JSON object");
    }
    return value;
  }

  private static void checkContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return;
    }
    String media = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!media.equals("application/json")
        && !(media.startsWith("application/") && media.endsWith("+json"))) {
      throw new TriadError(
          TriadError.Kind.UNSUPPORTED_MEDIA_TYPE,
          "content type " + clip(media) + " is not supported; send application/json");
    }
  }

  private interface Handler {
    HttpAnswer run() throws JsonProcessingException;
  }

  private HttpAnswer get(HttpCall call, Handler handler) throws JsonProcessingException {
    if (!call.method().equals("GET")) {
      return methodNotAllowed(call, "GET");
    }
    return handler.run();
  }

  private HttpAnswer post(HttpCall call, Handler handler) throws JsonProcessingException {
    if (!call.method().equals("POST")) {
      return methodNotAllowed(call, "POST");
    }
    return handler.run();
  }

  private HttpAnswer methodNotAllowed(HttpCall call, String allowed)
      throws JsonProcessingException {
    byte[] body =
        json.writeValueAsBytes(
            new ErrorBody(call.method() + " is not allowed here; use " + allowed));
    return new HttpAnswer(405, Map.of("Content-Type", HttpAnswer.JSON, "Allow", allowed), body);
  }

  private HttpAnswer ok(Object body) throws JsonProcessingException {
    return answer(200, body);
  }

  private HttpAnswer answer(int status, Object body) throws JsonProcessingException {
    return HttpAnswer.json(status, json.writeValueAsBytes(body));
  }

  /**
   * An error answer in the API's one shape, {@code {"error": message}}, for what a runtime's front
   * refuses before a call reaches {@link #handle} (a malformed request, a stalled body).
   */
  public HttpAnswer error(int status, String message) {
    try {
      return HttpAnswer.json(status, json.writeValueAsBytes(new ErrorBody(message)));
    } catch (JsonProcessingException e) {
      return HttpAnswer.json(
          status,
          "{\"error\":\"unprintable error\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static String clip(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  /** Where the API's OpenAPI description is answered, on every runtime. */
  public static final String OPENAPI_PATH = "/openapi.json";

  /** The routes, parsed from the path once per request. */
  record Route(Kind kind, String model, String version) {
    enum Kind {
      LIVE,
      READY,
      MODELS,
      SERVER,
      MODEL,
      MODEL_READY,
      INFER,
      PREDICT,
      OPENAPI,
      UNKNOWN
    }

    static Route parse(String path) {
      String p =
          path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      switch (p) {
        case "/v2/health/live":
          return new Route(Kind.LIVE, null, null);
        case "/v2/health/ready":
          return new Route(Kind.READY, null, null);
        case "/v2":
          return new Route(Kind.SERVER, null, null);
        case "/v2/models":
          return new Route(Kind.MODELS, null, null);
        case OPENAPI_PATH:
          return new Route(Kind.OPENAPI, null, null);
        default:
          break;
      }
      if (p.startsWith("/v2/models/")) {
        return parseV2(p.substring("/v2/models/".length()).split("/", -1));
      }
      if (p.startsWith("/v1/models/") && p.endsWith(":predict")) {
        String[] s =
            p.substring("/v1/models/".length(), p.length() - ":predict".length()).split("/", -1);
        if (s.length == 1) {
          return new Route(Kind.PREDICT, ModelKeys.checkName(s[0]), null);
        }
        if (s.length == 3 && s[1].equals("versions")) {
          return new Route(Kind.PREDICT, ModelKeys.checkName(s[0]), ModelKeys.checkVersion(s[2]));
        }
      }
      return new Route(Kind.UNKNOWN, null, null);
    }

    private static Route parseV2(String[] s) {
      String model = s[0];
      String version = null;
      int next = 1;
      if (s.length >= 3 && s[1].equals("versions")) {
        version = s[2];
        next = 3;
      }
      Kind kind;
      if (s.length == next) {
        kind = Kind.MODEL;
      } else if (s.length == next + 1 && s[next].equals("ready")) {
        kind = Kind.MODEL_READY;
      } else if (s.length == next + 1 && s[next].equals("infer")) {
        kind = Kind.INFER;
      } else {
        return new Route(Kind.UNKNOWN, null, null);
      }
      return new Route(
          kind,
          ModelKeys.checkName(model),
          version == null ? null : ModelKeys.checkVersion(version));
    }
  }
}
