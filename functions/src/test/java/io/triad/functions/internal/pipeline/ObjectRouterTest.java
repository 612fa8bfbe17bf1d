package io.triad.functions.internal.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.TrainingRows;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code onObjectCreated} from the function catalog: scoring uploads and evaluating labelled data.
 */
class ObjectRouterTest {
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir static Path bucket;
  private static ConfigurableApplicationContext context;
  private static BlobStore store;
  private static Function<ObjectCreated, Outcome> onObjectCreated;

  @BeforeAll
  static void start() {
    context =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.micro-batch-rows=100");
    store = context.getBean(BlobStore.class);
    new TestModels(store).publishIris("1");
    onObjectCreated =
        context.getBean(FunctionCatalog.class).lookup(Function.class, "onObjectCreated");
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static byte[] upload(String name) {
    try (InputStream in = ObjectRouterTest.class.getResourceAsStream("/uploads/iris/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Outcome deliver(String key) {
    return onObjectCreated.apply(ObjectCreated.of(key));
  }

  private static List<JsonNode> lines(String key) {
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String line : new String(store.read(key), UTF_8).split("\n")) {
        lines.add(JSON.readTree(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  private static List<String> keys(String prefix) {
    return store.list(prefix).stream().map(BlobInfo::key).toList();
  }

  @Test
  void apply_shouldWriteOnePredictionPerRowInOrder_whenCsvArrives() {
    // given
    store.put("incoming/iris/flowers.csv", upload("flowers.csv"));

    // when
    Outcome outcome = deliver("incoming/iris/flowers.csv");

    // then
    assertThat(outcome)
        .isEqualTo(
            new Outcome.Written(
                "incoming/iris/flowers.csv", List.of("predictions/iris/flowers.csv.jsonl"), 3));
    List<JsonNode> lines = lines("predictions/iris/flowers.csv.jsonl");
    assertThat(lines).extracting(l -> l.get("id").asText()).containsExactly("1", "2", "3");
    assertThat(lines)
        .extracting(l -> l.get("label").asText())
        .containsExactly("setosa", "versicolor", "virginica");
    assertThat(lines.get(0).get("probabilities").size()).isEqualTo(3);
    assertThat(store.exists("incoming/iris/flowers.csv")).isTrue();
  }

  @Test
  void apply_shouldKeepOrderAcrossMicroBatches_whenFileIsLarger() {
    // given
    store.put("incoming/iris/many/big.csv", TestModels.incomingCsv(450, 3).getBytes(UTF_8));

    // when
    Outcome outcome = deliver("incoming/iris/many/big.csv");

    // then
    assertThat(outcome).isInstanceOf(Outcome.Written.class);
    List<JsonNode> lines = lines("predictions/iris/many/big.csv.jsonl");
    assertThat(lines).hasSize(450);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i).get("id").asText()).isEqualTo(String.valueOf(i + 1));
      assertThat(lines.get(i).get("label").asText()).isEqualTo(TestModels.LABELS.get(i % 3));
    }
  }

  @Test
  void apply_shouldScoreJsonLines_whenJsonlArrives() {
    // given
    store.put("incoming/iris/flowers-b.jsonl", upload("flowers.jsonl"));

    // when
    Outcome outcome = deliver("incoming/iris/flowers-b.jsonl");

    // then
    assertThat(outcome).isInstanceOf(Outcome.Written.class);
    assertThat(lines("predictions/iris/flowers-b.jsonl.jsonl"))
        .extracting(l -> l.get("id").asText() + "=" + l.get("label").asText())
        .containsExactly("a=setosa", "b=virginica");
  }

  @Test
  void apply_shouldWriteOneIdenticalOutput_whenSameEventDeliveredTwice() {
    // given
    store.put("incoming/iris/twice.csv", upload("flowers.csv"));
    deliver("incoming/iris/twice.csv");
    byte[] first = store.read("predictions/iris/twice.csv.jsonl");

    // when
    Outcome again = deliver("incoming/iris/twice.csv");

    // then
    assertThat(again).isInstanceOf(Outcome.Written.class);
    assertThat(store.read("predictions/iris/twice.csv.jsonl")).isEqualTo(first);
    assertThat(keys("predictions/iris/twice")).containsExactly("predictions/iris/twice.csv.jsonl");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing-column.csv | missing column(s) [petal_width]",
        "bad-number.csv     | row[2].sepal_width must be a number, got 'abc'",
        "empty.csv          | empty",
        "not-utf8.csv       | line 3 is not valid UTF-8"
      })
  void apply_shouldSetUploadAsideWithReason_whenFileIsBad(String file, String reason)
      throws IOException {
    // given
    String key = "incoming/iris/bad/" + file;
    String stem = file.substring(0, file.lastIndexOf('.'));
    store.put(key, upload(file));

    // when
    Outcome outcome = deliver(key);

    // then
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            failed -> {
              assertThat(failed.failedKey()).isEqualTo("failed/" + key);
              assertThat(failed.error()).contains(reason);
            });
    assertThat(store.read(key)).isEqualTo(upload(file));
    assertThat(store.read("failed/" + key)).isEqualTo(upload(file));
    JsonNode error = JSON.readTree(store.read("failed/" + key + ".error.json"));
    assertThat(error.get("key").asText()).isEqualTo(key);
    assertThat(error.get("error").asText()).contains(reason);
    assertThat(keys("predictions/iris/bad/" + stem)).isEmpty();
  }

  @Test
  void apply_shouldIgnoreWithoutWriting_whenKeyClimbsOutOrIsNotATrigger() {
    // given
    List<String> before = keys("");

    // when
    Outcome climbing = deliver("incoming/iris/../../escape.csv");
    Outcome ours = deliver("predictions/iris/flowers.jsonl");
    Outcome shallow = deliver("incoming/flowers.csv");
    Outcome notManifest = deliver("candidates/iris/7/model.onnx");

    // then
    assertThat(List.of(climbing, ours, shallow, notManifest))
        .allMatch(o -> o instanceof Outcome.Ignored);
    assertThat(keys("")).isEqualTo(before);
    assertThat(bucket.getParent().resolve("escape.csv")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "incoming/iris/two\nlines.csv",
        "incoming/iris/a\tb.csv",
        "incoming/iris/LONG.csv"
      })
  void apply_shouldRecordWhyUnderASafeName_whenTheUploadsNameCannotBeAKey(String written) {
    // given an upload whose name holds a control character or is too long
    String key = written.replace("\\n", "\n").replace("\\t", "\t").replace("LONG", "x".repeat(230));

    // when its event arrives
    Outcome outcome = deliver(key);

    // then a reason is kept under a safe name that says why, and nothing is written outside
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    String record = ((Outcome.Failed) outcome).failedKey();
    assertThat(record).startsWith("failed/unsafe-names/").endsWith(".error.json");
    assertThat(new String(store.read(record), UTF_8)).contains("the name cannot be an object key");
  }

  @Test
  void apply_shouldRecordWhyWithoutACopy_whenTheUploadIsALinkOrAPipe() throws Exception {
    // given a link to a file outside the bucket, a link to a folder outside it, and a FIFO
    Path outside = Files.createTempDirectory("outside");
    Path secret = Files.writeString(outside.resolve("secret.csv"), "root:x:0:0\n");
    Path incoming = Files.createDirectories(bucket.resolve("incoming/iris"));
    Files.createSymbolicLink(incoming.resolve("p.csv"), secret);
    Files.createSymbolicLink(incoming.resolve("linked"), outside);
    Path fifo = incoming.resolve("pipe.csv");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    // when their events arrive
    Outcome file = deliver("incoming/iris/p.csv");
    Outcome folder = deliver("incoming/iris/linked/secret.csv");
    Outcome pipe = deliver("incoming/iris/pipe.csv");

    // then each is refused with its reason, and nothing from outside is copied or echoed
    assertThat(file).isInstanceOf(Outcome.Failed.class);
    assertThat(folder).isInstanceOf(Outcome.Failed.class);
    assertThat(pipe).isInstanceOf(Outcome.Failed.class);
    assertThat(new String(store.read("failed/incoming/iris/p.csv.error.json"), UTF_8))
        .contains("symbolic link")
        .doesNotContain("root:x");
    assertThat(new String(store.read("failed/incoming/iris/linked/secret.csv.error.json"), UTF_8))
        .contains("a folder on its path is a symbolic link");
    assertThat(new String(store.read("failed/incoming/iris/pipe.csv.error.json"), UTF_8))
        .contains("not a regular file");
    assertThat(keys("failed/"))
        .doesNotContain(
            "failed/incoming/iris/p.csv",
            "failed/incoming/iris/linked/secret.csv",
            "failed/incoming/iris/pipe.csv");
    assertThat(keys("predictions/")).noneMatch(k -> k.contains("secret") || k.contains("p."));
  }

  @Test
  void apply_shouldIgnoreWithoutWriting_whenTheAnnouncedObjectIsNotThere() {
    // given events for uploads never written (or deleted since): one of a type we score, one we do
    // not
    List<String> before = keys("");

    // when
    Outcome csv = deliver("incoming/iris/never-written.csv");
    Outcome unsupported = deliver("incoming/iris/never-written.xlsx");

    // then nothing is set aside: there is no upload to keep beside a reason
    assertThat(List.of(csv, unsupported))
        .allMatch(o -> o instanceof Outcome.Ignored i && i.reason().contains("gone"));
    assertThat(keys("")).isEqualTo(before);
  }

  @Test
  void apply_shouldIgnore_whenCandidateKeyNamesNoValidModel() {
    // given
    List<String> before = keys("");

    // when
    Outcome outcome = deliver("candidates/Not_A_Model/1/manifest.json");

    // then
    assertThat(outcome).isInstanceOf(Outcome.Ignored.class);
    assertThat(keys("")).isEqualTo(before);
  }

  @Test
  void apply_shouldWriteJsonAndSelfContainedHtml_whenLabelledDataArrives() throws IOException {
    // given
    store.put("labelled/iris/x.csv", TestModels.labelledCsv(20, 11).getBytes(UTF_8));

    // when
    Outcome outcome = deliver("labelled/iris/x.csv");

    // then: the evaluation, and the drift check against the version's training data
    assertThat(outcome).isInstanceOf(Outcome.Written.class);
    Outcome.Written written = (Outcome.Written) outcome;
    assertThat(written.rows()).isEqualTo(60);
    assertThat(written.outputs()).hasSize(4);
    assertThat(written.outputs().subList(0, 2))
        .containsExactly("evaluations/iris/1/x.csv.json", "evaluations/iris/1/x.csv.html");
    assertThat(written.outputs().subList(2, 4))
        .allMatch(key -> key.matches("monitoring/iris/1/drift-\\d{4}-\\d{2}-\\d{2}\\.(json|html)"));
    JsonNode report = JSON.readTree(store.read("evaluations/iris/1/x.csv.json"));
    assertThat(report.toString()).contains("\"accuracy\":1.0");
    String html = new String(store.read("evaluations/iris/1/x.csv.html"), UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg");
    assertThat(html)
        .doesNotContain("src=\"http", "href=\"http", "<link", "<script src", "url(http");
  }

  @Test
  void apply_shouldCountRowsTheVersionTrainedOnAndScoreTheOthersApart() throws IOException {
    // given labelled data of 60 rows, 9 of whose inputs version 1 trained on
    String csv = TestModels.labelledCsv(20, 11);
    long[] fingerprints = TestModels.fingerprints(csv);
    TrainingRows trained = TrainingRows.of(java.util.Arrays.copyOf(fingerprints, 9));
    long seen = java.util.Arrays.stream(fingerprints).filter(trained::contains).count();
    store.put(
        BucketLayout.modelDir(TestModels.IRIS, "1") + BucketLayout.TRAINING_ROWS_FILE,
        trained.toBytes());
    store.put("labelled/iris/mixed.csv", csv.getBytes(UTF_8));

    // when
    deliver("labelled/iris/mixed.csv");

    // then
    JsonNode report = JSON.readTree(store.read("evaluations/iris/1/mixed.csv.json"));
    assertThat(report.at("/unseen/seenRows").asLong()).isEqualTo(seen);
    assertThat(report.at("/unseen/rows").asLong()).isEqualTo(60 - seen);
    assertThat(report.at("/unseen/metrics/accuracy").asDouble()).isEqualTo(1.0);
    assertThat(report.path("notes").toString())
        .contains(seen + " of the 60 rows were in version 1's training data");
    assertThat(new String(store.read("evaluations/iris/1/mixed.csv.html"), UTF_8))
        .contains("training data");
  }

  @Test
  void apply_shouldSetAside_whenLabelledDataLacksTarget() {
    // given
    store.put("labelled/iris/nolabel.csv", upload("flowers.csv"));

    // when
    Outcome outcome = deliver("labelled/iris/nolabel.csv");

    // then
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class, failed -> assertThat(failed.error()).contains("'species'"));
    assertThat(keys("evaluations/iris/1/nolabel")).isEmpty();
  }

  @Test
  void apply_should_logUnderTheUploadsId() {
    // given: the router's own log lines, as Logback (Spring Boot's) hands them to an appender
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ObjectRouter.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    store.put("incoming/iris/ids.txt", "not a table".getBytes(UTF_8));
    ObjectCreated event = new ObjectCreated("incoming/iris/ids.txt", 11, "\"etag-1\"");
    try {
      // when
      onObjectCreated.apply(event);
    } finally {
      logger.detachAppender(appender);
    }

    // then
    assertThat(appender.list)
        .isNotEmpty()
        .allSatisfy(
            line ->
                assertThat(line.getMDCPropertyMap())
                    .containsEntry(
                        io.triad.functions.api.RequestId.MDC_KEY,
                        io.triad.functions.api.RequestId.ofUpload(event)));
    assertThat(io.triad.functions.api.RequestId.ofUpload(event))
        .matches("upload-[0-9a-f]{24}")
        .isEqualTo(
            io.triad.functions.api.RequestId.ofUpload(
                new ObjectCreated("incoming/iris/ids.txt", 11, "\"etag-1\"")))
        .isNotEqualTo(
            io.triad.functions.api.RequestId.ofUpload(
                new ObjectCreated("incoming/iris/ids.txt", 11, "\"etag-2\"")));
    assertThat(org.slf4j.MDC.get(io.triad.functions.api.RequestId.MDC_KEY)).isNull();
  }
}
