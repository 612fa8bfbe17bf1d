package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ScheduledTick;
import io.triad.functions.training.RetrainResult;
import io.triad.functions.training.RetrainingReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole suite on the embedded runtime, as a new user runs it: the bundled iris data is seeded,
 * the real trainer runs as a child process, the candidate is evaluated and promoted, and the model
 * is served over HTTP on 127.0.0.1 and through file uploads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRuntimeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TRAINING = Duration.ofMinutes(3);

  @TempDir static Path home;
  private Path bucket;
  private ConfigurableApplicationContext context;
  private String url;
  private LocalClient client;

  @BeforeAll
  void start() throws Exception {
    bucket = home.resolve("bucket");
    Path garbage = Files.createDirectories(bucket.resolve("data/broken"));
    Files.writeString(garbage.resolve("train.csv"), "a,b,label\n1,x,y\n2,3\n");
    context =
        LocalApplication.start(
            "--triad.local.bucket=" + bucket,
            "--triad.local.port=0",
            "--triad.local.settle=100ms",
            // the tests tick the schedule themselves; none fires at a wall-clock slot mid-run
            "--triad.models.iris.schedule=",
            "--triad.models.mnist.schedule=",
            "--triad.models.iris-strict.training-data=data/iris/train.csv",
            "--triad.models.iris-strict.gate.minimum=0.999",
            "--triad.models.broken.training-data=data/broken/train.csv");
    url = context.getBean(LocalHttpServer.class).url();
    client = new LocalClient(url);
    LocalClient.await(
        "iris is promoted and served",
        () -> client.get("/v2/models/iris/ready").statusCode() == 200,
        TRAINING);
  }

  @AfterAll
  void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void start_should_trainPromoteAndServeIris_when_bucketIsNew() throws Exception {
    // given the runtime started on an empty bucket
    // when the model is asked for
    JsonNode metadata = JSON.readTree(client.get("/v2/models/iris").body());
    // then the bootstrap candidate was promoted with its gate evaluation and metrics
    String version = metadata.get("version").asText();
    assertThat(Files.readString(bucket.resolve("models/iris/aliases/production")))
        .isEqualTo(version);
    assertThat(bucket.resolve("evaluations/iris/" + version + "/gate.html")).exists();
    JsonNode manifest =
        JSON.readTree(bucket.resolve("models/iris/" + version + "/manifest.json").toFile());
    assertThat(manifest.get("metrics").get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.93);
    assertThat(metadata.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,4]");
    // and the trainer's progress was kept beside the candidate, with the time spent and left
    JsonNode progress =
        JSON.readTree(bucket.resolve("candidates/iris/" + version + "/progress.json").toFile());
    assertThat(progress.get("text").asText()).matches("epoch \\d+/\\d+ .*elapsed .* eta .*");
    // and GET /v2/models lists iris as ready
    JsonNode models = JSON.readTree(client.get("/v2/models").body()).get("models");
    assertThat(models.findValuesAsText("state")).contains("ready");
  }

  @Test
  void predict_should_answerLabelsAndProbabilities_when_recordsArePosted() throws Exception {
    // given a setosa and a virginica
    String body =
        "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2},"
            + "{\"sepal_length\":6.7,\"sepal_width\":3.0,\"petal_length\":5.2,\"petal_width\":2.3}]}";
    // when they are posted to :predict
    HttpResponse<String> response = client.post("/v1/models/iris:predict", body);
    // then each gets its label and a probability per class
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode predictions = JSON.readTree(response.body()).get("predictions");
    assertThat(predictions.get(0).get("label").asText()).isEqualTo("setosa");
    assertThat(predictions.get(1).get("label").asText()).isEqualTo("virginica");
    assertThat(predictions.get(0).get("probabilities").size()).isEqualTo(3);
  }

  @Test
  void metrics_should_countRequestsByModelVersionRouteAndStatus() throws Exception {
    // given one predict, and a request for a model nobody configured
    String version = JSON.readTree(client.get("/v2/models/iris").body()).get("version").asText();
    String body =
        "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,"
            + "\"petal_width\":0.2}]}";
    assertThat(client.post("/v1/models/iris:predict", body).statusCode()).isEqualTo(200);
    assertThat(client.get("/v2/models/made-up-" + System.nanoTime()).statusCode()).isEqualTo(404);

    // when the metrics are read
    HttpResponse<String> metrics = client.get("/metrics");

    // then: Prometheus text, the request under its model, version, route and status, with a
    // latency histogram; the unknown model under "-", so paths cannot make series
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body())
        .containsPattern(
            "triad_requests_seconds_count\\{model=\"iris\",route=\"predict\",status=\"200\","
                + "version=\""
                + java.util.regex.Pattern.quote(version)
                + "\"} [1-9]")
        .contains("triad_requests_seconds_bucket{")
        .containsPattern(
            "triad_requests_seconds_count\\{model=\"-\",route=\"model\",status=\"404\",version=\"-\"}")
        .doesNotContain("made-up-");
  }

  @Test
  void infer_should_answerTheSameWithAndWithoutVersion_when_tensorIsPosted() throws Exception {
    // given a tensor request
    String version = JSON.readTree(client.get("/v2/models/iris").body()).get("version").asText();
    String body =
        "{\"id\":\"r1\",\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[6.7,3.0,5.2,2.3]}]}";
    // when it is posted with and without the version
    HttpResponse<String> latest = client.post("/v2/models/iris/infer", body);
    HttpResponse<String> pinned =
        client.post("/v2/models/iris/versions/" + version + "/infer", body);
    // then both answer with the same probabilities and echo the id
    assertThat(latest.statusCode()).isEqualTo(200);
    assertThat(pinned.body()).isEqualTo(latest.body());
    JsonNode output = JSON.readTree(latest.body()).get("outputs").get(0);
    assertThat(output.get("name").asText()).isEqualTo("probabilities");
    assertThat(JSON.readTree(latest.body()).get("id").asText()).isEqualTo("r1");
    assertThat(client.get("/v2/models/iris/versions/" + version + "/ready").statusCode())
        .isEqualTo(200);
  }

  @Test
  void http_should_answerJsonErrors_when_requestIsBad() throws Exception {
    // given bad requests, when they are sent, then each is a 4xx with a JSON error and no stack
    // trace
    List<HttpResponse<String>> answers =
        List.of(
            client.post("/v1/models/iris:predict", "{\"instances\":[{\"sepal_length\":"),
            client.post("/v1/models/nope:predict", "{\"instances\":[{}]}"),
            client.post("/v1/models/iris:predict", "{\"instances\":[{\"sepal_length\":5.1}]}"),
            client.post(
                "/v2/models/iris/infer",
                "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}"),
            client.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/models/iris:predict"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("hello"))
                    .build()),
            client.post(
                "/v1/models/iris:predict",
                "{\"instances\":[{\"x\":\"" + "a".repeat(7 * 1024 * 1024) + "\"}]}"));
    assertThat(answers)
        .extracting(HttpResponse::statusCode)
        .containsExactly(400, 404, 422, 400, 415, 413);
    for (HttpResponse<String> answer : answers) {
      assertThat(JSON.readTree(answer.body()).get("error").asText())
          .isNotBlank()
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void upload_should_writePredictionsInRowOrder_when_csvLandsInIncoming() throws Exception {
    // given a CSV with ids
    String csv =
        "id,sepal_length,sepal_width,petal_length,petal_width\nf-1,5.1,3.5,1.4,0.2\nf-2,6.7,3.0,5.2,2.3\nf-3,5.9,3.0,4.2,1.5\n";
    // when it is dropped into incoming/iris/
    drop("incoming/iris/flowers.csv", csv);
    // then predictions/iris/flowers.csv.jsonl has one line per row, in order, with the ids
    Path out = bucket.resolve("predictions/iris/flowers.csv.jsonl");
    LocalClient.await("predictions written", () -> Files.exists(out), Duration.ofSeconds(20));
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(3);
    assertThat(lines)
        .extracting(l -> read(l).get("id").asText())
        .containsExactly("f-1", "f-2", "f-3");
    assertThat(read(lines.get(0)).get("label").asText()).isEqualTo("setosa");
  }

  @Test
  void upload_should_setTheFileAside_when_aRowIsBad() throws Exception {
    // given a CSV whose second row is not a number
    String csv =
        "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,abc,5.2,2.3\n";
    // when it is uploaded
    drop("incoming/iris/bad-row.csv", csv);
    // then a copy and the reason are under failed/, the original stays, and no predictions are
    // written
    Path error = bucket.resolve("failed/incoming/iris/bad-row.csv.error.json");
    LocalClient.await("failure recorded", () -> Files.exists(error), Duration.ofSeconds(20));
    assertThat(JSON.readTree(error.toFile()).get("error").asText()).contains("row[2].sepal_width");
    assertThat(bucket.resolve("incoming/iris/bad-row.csv")).exists();
    assertThat(bucket.resolve("failed/incoming/iris/bad-row.csv")).hasContent(csv.stripTrailing());
    assertThat(bucket.resolve("predictions/iris/bad-row.csv.jsonl")).doesNotExist();
  }

  @Test
  void upload_should_writeAnEvaluationReport_when_labelledCsvLands() throws Exception {
    // given a labelled CSV
    String csv =
        "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n6.7,3.0,5.2,2.3,virginica\n5.9,3.0,4.2,1.5,versicolor\n";
    String version = JSON.readTree(client.get("/v2/models/iris").body()).get("version").asText();
    // when it lands in labelled/iris/
    drop("labelled/iris/check.csv", csv);
    // then a JSON and a self-contained HTML report are written for the served version
    Path html = bucket.resolve("evaluations/iris/" + version + "/check.csv.html");
    LocalClient.await("report written", () -> Files.exists(html), Duration.ofSeconds(20));
    assertThat(
            JSON.readTree(
                    bucket.resolve("evaluations/iris/" + version + "/check.csv.json").toFile())
                .get("rows")
                .asLong())
        .isEqualTo(3);
    assertThat(Files.readString(html))
        .contains("<svg")
        .doesNotContain("<script")
        .doesNotContain("https://");
  }

  @Test
  void schedule_should_promoteTheNewVersionWithoutRestart_when_candidatePassesTheGate()
      throws Exception {
    // given iris served
    String before = JSON.readTree(client.get("/v2/models/iris").body()).get("version").asText();
    // when a retraining tick fires (later than the bootstrap, so it names a new version)
    RetrainResult.Launched job =
        launch(ScheduledTick.retrain("iris", Instant.now().plusSeconds(5)));
    // then the candidate lands, passes (same data, same seed) and is served by the running server
    assertThat(job.version()).isNotEqualTo(before);
    LocalClient.await(
        "new version served",
        () -> version(client.post("/v1/models/iris:predict", firstFlower())).equals(job.version()),
        TRAINING);
    assertThat(Files.readString(bucket.resolve("models/iris/aliases/production")))
        .isEqualTo(job.version());
  }

  @Test
  void schedule_should_keepTheCandidateAndItsReason_when_gateRejectsIt() throws Exception {
    // given a model whose gate asks for more than the trainer reaches
    // when it is retrained
    RetrainResult.Launched job = launch(ScheduledTick.retrain("iris-strict", Instant.now()));
    // then the candidate is rejected with its reason, and nothing is served for it
    Path rejected = bucket.resolve("candidates/iris-strict/" + job.version() + "/rejected.json");
    LocalClient.await("candidate rejected", () -> Files.exists(rejected), TRAINING);
    assertThat(JSON.readTree(rejected.toFile()).get("reason").asText())
        .contains("does not reach the minimum");
    assertThat(bucket.resolve("candidates/iris-strict/" + job.version() + "/model.onnx")).exists();
    assertThat(bucket.resolve("models/iris-strict/aliases/production")).doesNotExist();
  }

  @Test
  void page_should_showModelsDecisionsAndReports_when_openedInARealBrowser() throws Exception {
    // given a rejected candidate beside the promoted iris
    RetrainResult.Launched job =
        launch(ScheduledTick.retrain("iris-strict", Instant.now().plus(2, ChronoUnit.HOURS)));
    Path gate = bucket.resolve("evaluations/iris-strict/" + job.version() + "/gate.json");
    LocalClient.await("the strict gate decided", () -> Files.exists(gate), TRAINING);
    String served = JSON.readTree(client.get("/v2/models/iris").body()).get("version").asText();

    // when the page is opened in Debian's chromium, headless, through its chromedriver
    org.openqa.selenium.WebDriver browser = LocalBrowser.start();
    try {
      browser.get(url + "/");

      // then every model is there with its state, what it serves and the gate's decisions
      assertThat(browser.getTitle()).isEqualTo("Triad: models");
      org.openqa.selenium.WebElement iris =
          browser.findElement(org.openqa.selenium.By.id("model-iris"));
      assertThat(iris.findElement(org.openqa.selenium.By.className("state")).getText())
          .isEqualTo("ready");
      assertThat(iris.findElement(org.openqa.selenium.By.className("serving")).getText())
          .isEqualTo(served);
      assertThat(iris.findElements(org.openqa.selenium.By.className("decision")))
          .extracting(org.openqa.selenium.WebElement::getText)
          .anyMatch(text -> text.startsWith("promoted: "));
      org.openqa.selenium.WebElement strict =
          browser.findElement(org.openqa.selenium.By.id("model-iris-strict"));
      assertThat(strict.findElements(org.openqa.selenium.By.className("decision")))
          .extracting(org.openqa.selenium.WebElement::getText)
          .anyMatch(text -> text.startsWith("rejected: "));
      assertThat(browser.findElement(org.openqa.selenium.By.id("model-broken")).getText())
          .contains("broken");
      // it reloads itself and loads nothing besides itself
      assertThat(
              browser
                  .findElement(org.openqa.selenium.By.cssSelector("meta[http-equiv=refresh]"))
                  .getDomAttribute("content"))
          .isEqualTo(Integer.toString(LocalPages.REFRESH_SECONDS));
      org.openqa.selenium.JavascriptExecutor script =
          (org.openqa.selenium.JavascriptExecutor) browser;
      assertThat(script.executeScript("return performance.getEntriesByType('resource').length"))
          .isEqualTo(0L);
      assertThat(
              script.executeScript(
                  "return document.querySelectorAll('link[href], script, iframe, object, embed,"
                      + " img:not([src^=\"data:\"])').length"))
          .as("no asset to load, from anywhere")
          .isEqualTo(0L);

      // and its links open the reports: the strict candidate's gate report
      strict
          .findElement(
              org.openqa.selenium.By.cssSelector(
                  "a[href$='/evaluations/iris-strict/" + job.version() + "/gate.html']"))
          .click();
      assertThat(browser.getCurrentUrl()).endsWith("/gate.html");
      assertThat(browser.getPageSource()).contains("iris-strict", job.version());
    } finally {
      browser.quit();
    }
  }

  @Test
  void schedule_should_recordTheFailure_when_trainerFails() throws Exception {
    // given training data the trainer cannot read
    // when the model is retrained
    RetrainResult.Launched job = launch(ScheduledTick.retrain("broken", Instant.now()));
    // then the job's failure is written beside the (absent) candidate and nothing is promoted
    Path failed = bucket.resolve("candidates/broken/" + job.version() + "/job-failed.json");
    LocalClient.await("job failure recorded", () -> Files.exists(failed), TRAINING);
    assertThat(JSON.readTree(failed.toFile()).get("error").asText()).contains("exited with code 1");
    assertThat(bucket.resolve("candidates/broken/" + job.version() + "/manifest.json"))
        .doesNotExist();
    assertThat(bucket.resolve("models/broken")).doesNotExist();
  }

  @Test
  void schedule_should_startOneTrainer_when_theSameSlotIsDeliveredThreeTimesAtOnce()
      throws Exception {
    // given one cron slot (as two runtimes on one folder, or a retry racing the first run, deliver)
    ScheduledTick slot =
        ScheduledTick.retrain(
            "iris-strict", Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS));
    Function<ScheduledTick, RetrainingReport> onSchedule =
        context.getBean(FunctionCatalog.class).lookup(Function.class, "onSchedule");
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(3);
    java.util.concurrent.ExecutorService deliveries =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    List<RetrainResult> results = new java.util.ArrayList<>();

    // when it is delivered three times at once
    try {
      List<java.util.concurrent.Future<RetrainingReport>> reports = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        reports.add(
            deliveries.submit(
                () -> {
                  together.await();
                  return onSchedule.apply(slot);
                }));
      }
      for (java.util.concurrent.Future<RetrainingReport> report : reports) {
        results.addAll(report.get(60, java.util.concurrent.TimeUnit.SECONDS).results());
      }
    } finally {
      deliveries.shutdownNow();
    }

    // then one trainer was started, and every delivery names the same version
    assertThat(results).filteredOn(RetrainResult.Failed.class::isInstance).isEmpty();
    RetrainResult.Launched job =
        (RetrainResult.Launched)
            results.stream()
                .filter(RetrainResult.Launched.class::isInstance)
                .findFirst()
                .orElseThrow();
    assertThat(results)
        .allSatisfy(
            r ->
                assertThat(
                        r instanceof RetrainResult.Launched l
                            ? l.version()
                            : ((RetrainResult.Skipped) r).reason())
                    .contains(job.version()));
    try (java.util.stream.Stream<Path> logs = Files.list(home.resolve("logs"))) {
      assertThat(logs.map(p -> p.getFileName().toString()))
          .filteredOn(name -> name.startsWith("iris-strict-" + job.version().substring(0, 15)))
          .hasSize(1);
    }
    Path rejected = bucket.resolve("candidates/iris-strict/" + job.version() + "/rejected.json");
    LocalClient.await("candidate judged", () -> Files.exists(rejected), TRAINING);
  }

  /** One model's tick through onSchedule, which must launch its job. */
  private RetrainResult.Launched launch(ScheduledTick tick) {
    Function<ScheduledTick, RetrainingReport> onSchedule =
        context.getBean(FunctionCatalog.class).lookup(Function.class, "onSchedule");
    RetrainingReport report = onSchedule.apply(tick).requireLaunched();
    assertThat(report.launched()).as("launched by %s", tick).hasSize(1);
    return report.launched().get(0);
  }

  private static String firstFlower() {
    return "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]}";
  }

  private static String version(HttpResponse<String> response) {
    return read(response.body()).get("model_version").asText();
  }

  /** Writes beside the bucket, then moves in, as a finished upload appears on an object store. */
  private void drop(String key, String content) throws IOException {
    Path staged =
        Files.writeString(
            home.resolve("staged-" + key.replace('/', '_')), content, StandardCharsets.UTF_8);
    Path target = bucket.resolve(key);
    Files.createDirectories(target.getParent());
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
