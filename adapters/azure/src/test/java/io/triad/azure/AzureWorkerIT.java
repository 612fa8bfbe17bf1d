package io.triad.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.triad.azblob.AzureBlobStore;
import io.triad.azure.FunctionsHostDoubles.Invocation;
import io.triad.azure.FunctionsHostDoubles.Request;
import io.triad.azure.FunctionsHostDoubles.Response;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestModels;
import io.triad.functions.training.RetrainingReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three functions exactly as the Java worker reaches them: the {@link FunctionInstanceInjector}
 * found by ServiceLoader, {@code getInstance} per invocation, then the {@code @FunctionName}
 * method, with the Blob protocol served by Azurite. The Functions host itself cannot run here, so
 * its request, response and invocation context are test doubles ({@link FunctionsHostDoubles}).
 */
class AzureWorkerIT {
  private static final String CONTAINER = "triad";

  @TempDir static Path work;

  private static Azurite azurite;
  private static BlobStore bucket;
  private static FunctionInstanceInjector injector;

  @BeforeAll
  static void startWorker() throws Exception {
    azurite = Azurite.start(work.resolve("azurite"));
    BlobContainerClient container =
        new BlobServiceClientBuilder()
            .connectionString(azurite.connectionString())
            .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build())
            .buildClient()
            .createBlobContainer(CONTAINER);
    bucket = new AzureBlobStore(container);
    new TestModels(bucket).publishIris("1");
    bucket.put(
        "data/iris/train.csv", TestModels.labelledCsv(10, 3).getBytes(StandardCharsets.UTF_8));

    // the app settings the infrastructure sets; Batch is left out on purpose (see onSchedule below)
    System.setProperty(AzureSettings.CONTAINER, CONTAINER);
    System.setProperty(AzureSettings.STORAGE_CONNECTION, azurite.connectionString());
    System.setProperty("triad.catalog", "iris");
    System.setProperty("triad.signing.trusted-keys", TestModels.TRUSTED_KEY);
    injector = ServiceLoader.load(FunctionInstanceInjector.class).findFirst().orElseThrow();
  }

  @AfterAll
  static void stopWorker() {
    TriadInstanceInjector.WorkerContext.close();
    AzureSettings.NAMES.forEach(System::clearProperty);
    System.clearProperty("triad.catalog");
    System.clearProperty("triad.signing.trusted-keys");
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void getInstance_should_answer_from_one_context_when_asked_on_every_invocation()
      throws Exception {
    // given the injector the worker found
    assertThat(injector).isInstanceOf(TriadInstanceInjector.class);

    // when it is asked for handlers as the worker asks, once per invocation
    HttpEntry first = injector.getInstance(HttpEntry.class);
    var context = TriadInstanceInjector.WorkerContext.get();
    HttpEntry second = injector.getInstance(HttpEntry.class);
    UploadEntry events = injector.getInstance(UploadEntry.class);
    ScheduleEntry timer = injector.getInstance(ScheduleEntry.class);

    // then one context made them all, and the HTTP handler is the same object each time
    assertThat(second).isSameAs(first);
    assertThat(TriadInstanceInjector.WorkerContext.get()).isSameAs(context);
    assertThat(context.getBean(UploadEntry.class)).isSameAs(events);
    assertThat(context.getBean(ScheduleEntry.class)).isSameAs(timer);
  }

  @Test
  void http_should_answer_like_the_local_runtime_when_called_through_the_annotated_method()
      throws Exception {
    assertThat(http(Request.get("/v2/health/ready")))
        .satisfies(
            r -> {
              assertThat(r.getStatusCode()).isEqualTo(200);
              assertThat(r.text()).isEqualTo("{\"ready\":true}");
            });
    Response infer =
        http(Request.post("/v2/models/iris/infer", "application/json", fixture("infer-iris.json")));
    assertThat(infer.getStatusCode()).isEqualTo(200);
    assertThat(infer.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(infer.text())
        .contains("\"model_name\":\"iris\"", "\"model_version\":\"1\"", "\"id\":\"req-1\"");
    Response predict =
        http(
            Request.post(
                "/v1/models/iris:predict", "application/json", fixture("predict-records.json")));
    assertThat(predict.getStatusCode()).isEqualTo(200);
    assertThat(predict.text()).contains("setosa");
  }

  @Test
  void http_should_answer_json_errors_when_the_call_is_wrong() throws Exception {
    assertError(
        http(Request.post("/v2/models/iris/infer", "application/json", fixture("malformed.json"))),
        400,
        "malformed JSON");
    assertError(
        http(
            Request.post(
                "/v1/models/iris:predict",
                "application/json",
                fixture("predict-missing-field.json"))),
        422,
        "");
    assertError(
        http(
            Request.post(
                "/v2/models/iris/infer", "text/plain", "x".getBytes(StandardCharsets.UTF_8))),
        415,
        "not supported");
    assertError(http(Request.get("/v2/models/nosuchmodel")), 404, "");
    assertError(
        http(Request.get("/api/v2/health/live")), 404, "no route for GET /api/v2/health/live");
    Response wrongMethod = http(Request.get("/v2/models/iris/infer"));
    assertError(wrongMethod, 405, "use POST");
    assertThat(wrongMethod.getHeader("Allow")).isEqualTo("POST");
  }

  @Test
  void onObjectCreated_should_write_one_prediction_file_when_the_event_is_delivered_twice()
      throws Exception {
    // given an upload and its Event Grid event
    bucket.put(
        "incoming/iris/twice.csv", TestModels.incomingCsv(9, 1).getBytes(StandardCharsets.UTF_8));
    String event = UploadEventsTest.event("incoming/iris/twice.csv");

    // when Event Grid delivers it twice (it delivers at least once)
    Invocation first = onObjectCreated(event);
    Invocation again = onObjectCreated(event);

    // then there is one prediction file, whole, and both invocations said so
    assertThat(keys("predictions/iris/twice")).containsExactly("predictions/iris/twice.csv.jsonl");
    assertThat(
            new String(bucket.read("predictions/iris/twice.csv.jsonl"), StandardCharsets.UTF_8)
                .lines())
        .hasSize(9);
    assertThat(first.logged())
        .anyMatch(l -> l.contains("wrote [predictions/iris/twice.csv.jsonl]"));
    assertThat(again.logged())
        .anyMatch(l -> l.contains("wrote [predictions/iris/twice.csv.jsonl]"));
  }

  @Test
  void onObjectCreated_should_set_the_upload_aside_with_its_reason_when_it_is_bad()
      throws Exception {
    bucket.put("incoming/iris/bad-number.csv", uploadFixture("bad-number.csv"));

    Invocation invocation = onObjectCreated(UploadEventsTest.event("incoming/iris/bad-number.csv"));

    assertThat(bucket.exists("failed/incoming/iris/bad-number.csv")).isTrue();
    assertThat(
            new String(
                bucket.read("failed/incoming/iris/bad-number.csv.error.json"),
                StandardCharsets.UTF_8))
        .contains("sepal_width");
    assertThat(bucket.exists("incoming/iris/bad-number.csv")).as("the input stays").isTrue();
    assertThat(keys("predictions/iris/bad-number")).isEmpty();
    assertThat(invocation.logged())
        .anyMatch(l -> l.contains("aside as failed/incoming/iris/bad-number.csv"));
  }

  @Test
  void onObjectCreated_should_log_and_acknowledge_when_the_blob_was_deleted_before_processing()
      throws Exception {
    // given an event for a blob that is gone by the time it is handled
    bucket.put(
        "incoming/iris/gone.csv", TestModels.incomingCsv(3, 2).getBytes(StandardCharsets.UTF_8));
    bucket.delete("incoming/iris/gone.csv");

    // when it is delivered, the invocation succeeds (a retry could never succeed either)
    Invocation invocation = onObjectCreated(UploadEventsTest.event("incoming/iris/gone.csv"));

    // then it said why, and wrote nothing
    assertThat(invocation.logged())
        .anyMatch(l -> l.contains("acknowledged incoming/iris/gone.csv") && l.contains("gone"));
    assertThat(keys("predictions/iris/gone")).isEmpty();
    assertThat(keys("failed/incoming/iris/gone")).isEmpty();
  }

  @Test
  void onSchedule_should_fail_the_invocation_with_the_cause_when_no_job_can_be_submitted()
      throws Exception {
    // given a worker whose settings name no Batch account (submission itself is
    // RetrainFunctionIT's, against WireMock)
    ScheduleEntry timer = injector.getInstance(ScheduleEntry.class);
    Invocation invocation = new Invocation("onSchedule");

    // when the timer fires, then the invocation fails and says why
    assertThatThrownBy(() -> timer.run("{\"isPastDue\":false}", invocation))
        .isInstanceOf(RetrainingReport.RetrainingFailed.class)
        .hasMessageContaining(
            "iris: Azure Batch is not configured: set TRIAD_BATCH_ENDPOINT and TRIAD_BATCH_POOL");
    assertThat(invocation.logged())
        .anyMatch(l -> l.startsWith("INFO retraining tick: [Failed[model=iris"));
  }

  private static Response http(Request request) throws Exception {
    return (Response) injector.getInstance(HttpEntry.class).run(request, new Invocation("http"));
  }

  private static Invocation onObjectCreated(String event) throws Exception {
    Invocation invocation = new Invocation("onObjectCreated");
    injector.getInstance(UploadEntry.class).run(event, invocation);
    return invocation;
  }

  private static void assertError(Response response, int status, String message) {
    assertThat(response.getStatusCode()).as(response.text()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.text()).startsWith("{\"error\":\"").contains(message);
  }

  private static List<String> keys(String prefix) {
    return bucket.list(prefix).stream().map(BlobInfo::key).toList();
  }

  private static byte[] fixture(String name) throws IOException {
    return resource("/http/requests/" + name);
  }

  private static byte[] uploadFixture(String name) throws IOException {
    return resource("/uploads/iris/" + name);
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = AzureWorkerIT.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }
}
