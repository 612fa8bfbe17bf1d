package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.TestKeyFile;
import io.triad.functions.testing.TestModels;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcp.testing.HttpFixture;
import io.triad.gcp.testing.LoopbackFunctionServer;
import io.triad.gcs.GcsBlobStore;
import io.triad.layout.BucketLayout;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@link UploadEntry} under the Functions Framework's {@code BackgroundFunctionExecutor}, fed
 * {@code google.cloud.storage.object.v1.finalized} CloudEvents from fixture files (structured and
 * binary), over the in-memory GCS bucket the fixtures name.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadEntryIT {
  private static final String BUCKET = "triad-events";
  private static final BlobStore store = new GcsBlobStore(FakeGoogleCloud.storage(), BUCKET);
  private static final HttpClient client = HttpClient.newHttpClient();
  private static LoopbackFunctionServer server;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty(GcpRuntime.BUCKET, BUCKET);
    System.setProperty("triad.signing.trusted-keys", TestModels.TRUSTED_KEY);
    // a deployed function reads its key from Secret Manager (SecretManagerKeySourceTest)
    System.setProperty("triad.signing.key", "file:" + TestKeyFile.path());
    new TestModels(store).publishIris("1");
    server = new LoopbackFunctionServer(BackgroundFunctionExecutor.forClass(UploadEntry.class));
  }

  @AfterAll
  static void stop() {
    server.close();
    System.clearProperty(GcpRuntime.BUCKET);
    System.clearProperty("triad.signing.trusted-keys");
    System.clearProperty("triad.signing.key");
  }

  @Test
  void accept_should_writePredictions_when_aStructuredEventAnnouncesAnUpload(CapturedOutput log) {
    upload("incoming/iris/structured.csv", TestModels.incomingCsv(12, 1));

    HttpFixture fixture = deliver("storage/finalized-structured", log);

    assertThat(lines("predictions/iris/structured.csv.jsonl")).hasSize(12);
    assertThat(fixture.name()).isNotEmpty();
  }

  @Test
  void accept_should_writePredictions_when_aBinaryEventAnnouncesAnUpload(CapturedOutput log) {
    upload("incoming/iris/binary.csv", TestModels.incomingCsv(5, 2));

    deliver("storage/finalized-binary", log);

    assertThat(lines("predictions/iris/binary.csv.jsonl"))
        .hasSize(5)
        .allSatisfy(line -> assertThat(line).contains("\"id\""));
  }

  @Test
  void accept_should_writePredictions_when_aStorageNotificationArrivesThroughPubSub(
      CapturedOutput log) {
    // as the stack delivers uploads: a bucket notification limited to the upload prefixes
    upload("incoming/iris/notified.csv", TestModels.incomingCsv(4, 5));

    deliver("storage/notification-pubsub", log);

    assertThat(lines("predictions/iris/notified.csv.jsonl")).hasSize(4);
  }

  @Test
  void accept_should_writeAnEvaluation_when_labelledDataArrives(CapturedOutput log) {
    upload("labelled/iris/check.csv", TestModels.labelledCsv(10, 3));

    deliver("storage/labelled-binary", log);
  }

  @Test
  void accept_should_setTheUploadAsideUnderFailed_when_itCannotBeScored(CapturedOutput log) {
    upload("incoming/iris/bad.csv", "id,colour\n1,blue\n");

    deliver("storage/bad-upload", log);

    assertThat(
            new String(
                store.read("failed/incoming/iris/bad.csv.error.json"), StandardCharsets.UTF_8))
        .contains("error");
  }

  @Test
  void accept_should_leaveOneOutput_when_theSameEventIsDeliveredTwice(CapturedOutput log) {
    // given
    upload("incoming/iris/twice.csv", TestModels.incomingCsv(7, 4));
    deliver("storage/duplicate", log);
    byte[] first = store.read("predictions/iris/twice.csv.jsonl");

    // when
    deliver("storage/duplicate", log);

    // then
    assertThat(store.list("predictions/iris/twice")).hasSize(1);
    assertThat(store.read("predictions/iris/twice.csv.jsonl")).isEqualTo(first);
    assertThat(store.list("failed/incoming/iris/twice")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "wrong-type",
        "notification-delete",
        "not-gcs-data",
        "data-not-json",
        "no-data",
        "other-bucket",
        "no-object-name"
      })
  void accept_should_logAndAcknowledge_when_theEventIsUnusable(String name, CapturedOutput log) {
    int objects = store.list("").size();

    deliver("storage/" + name, log);

    assertThat(log.getOut()).contains("acknowledged without processing");
    assertThat(store.list("")).as("nothing written").hasSize(objects);
  }

  @Test
  void accept_should_scoreTheUpload_when_optionalAttributesAreAbsent(CapturedOutput log) {
    upload("incoming/iris/minimal.csv", TestModels.incomingCsv(3, 6));

    deliver("storage/minimal-attributes", log);
  }

  // The framework builds the CloudEvent before calling the function: one that lacks a required
  // attribute (id, source, type, specversion) never reaches UploadEntry and the framework answers
  // 500 itself. Eventarc always sets them; this pins down what any other sender sees.
  @Test
  void framework_should_refuseTheEventBeforeTheFunction_when_requiredAttributesAreMissing(
      CapturedOutput log) {
    int objects = store.list("").size();

    deliver("storage/missing-required-attributes", log);

    assertThat(log.getAll()).doesNotContain("UploadEntry - event");
    assertThat(store.list("")).hasSize(objects);
  }

  @Test
  @Order(Integer.MAX_VALUE) // it moves the production alias the other cases evaluate with
  void accept_should_promoteTheCandidate_when_itsManifestArrives(CapturedOutput log) {
    new TestModels(store).candidateIris("2", TestModels.irisOnnx());

    deliver("storage/candidate-structured", log);

    assertThat(
            new String(
                store.read(BucketLayout.alias("iris", BucketLayout.PRODUCTION)),
                StandardCharsets.UTF_8))
        .isEqualTo("2");
  }

  private static HttpFixture deliver(String name, CapturedOutput log) {
    HttpFixture fixture = HttpFixture.load(name);
    HttpResponse<String> response = fixture.send(client, server);
    assertThat(response.statusCode())
        .as("%s: %s", name, response.body())
        .isEqualTo(fixture.expected().status());
    fixture.expected().assertStore(name, store);
    if (fixture.expected().log() != null) {
      assertThat(log.getAll()).as(name + " log").contains(fixture.expected().log());
    }
    return fixture;
  }

  private static void upload(String key, String content) {
    store.put(key, content.getBytes(StandardCharsets.UTF_8));
  }

  private static java.util.List<String> lines(String key) {
    return new String(store.read(key), StandardCharsets.UTF_8).lines().toList();
  }
}
