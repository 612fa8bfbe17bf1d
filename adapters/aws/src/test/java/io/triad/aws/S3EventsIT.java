package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.aws.testing.FailingUploads;
import io.triad.aws.testing.S3Emulator;
import io.triad.functions.TriadContext;
import io.triad.functions.TriadFunctions;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.training.TrainingLauncher;
import io.triad.s3.S3BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 handler in-process over s3rver: the bad input and faults the issue lists. */
class S3EventsIT {
  private static final String BUCKET = "triad-events-it";

  @TempDir static Path dir;
  private static S3Emulator s3rver;
  private static S3BlobStore store;

  @BeforeAll
  static void startS3rverWithIris() throws Exception {
    s3rver = S3Emulator.start(dir.resolve("s3rver"), BUCKET, null);
    store = new S3BlobStore(AwsClients.s3(settings()), BUCKET);
    new TestModels(store).publishIris("1");
  }

  @AfterAll
  static void stopS3rver() throws Exception {
    s3rver.close();
  }

  private static AwsSettings settings() {
    return AwsSettings.from(
        Map.of(AwsSettings.S3_ENDPOINT, s3rver.endpoint().toString(), AwsSettings.BUCKET, BUCKET)
            ::get);
  }

  @Test
  void handleRequest_should_writeOnePrediction_when_theSameEventArrivesTwice() throws Exception {
    // given
    store.put(
        "incoming/iris/twice.csv", TestModels.incomingCsv(9, 5).getBytes(StandardCharsets.UTF_8));
    try (var context = start(AwsClients.s3(settings()))) {
      LambdaEntry handler = new LambdaEntry(FunctionRole.S3, context);

      // when
      JsonNode first = invoke(handler, event("incoming/iris/twice.csv"));
      JsonNode second = invoke(handler, event("incoming/iris/twice.csv"));

      // then
      assertThat(first).isEqualTo(second);
      assertThat(first.at("/outcomes/0/outcome").asText()).isEqualTo("written");
      assertThat(store.list("predictions/iris/twice"))
          .extracting(BlobInfo::key)
          .containsExactly("predictions/iris/twice.csv.jsonl");
      assertThat(
              new String(store.read("predictions/iris/twice.csv.jsonl"), StandardCharsets.UTF_8)
                  .lines())
          .hasSize(9);
    }
  }

  @Test
  void handleRequest_should_acknowledge_when_theKeyIsGone() throws Exception {
    try (var context = start(AwsClients.s3(settings()))) {
      // given
      LambdaEntry handler = new LambdaEntry(FunctionRole.S3, context);

      // when
      JsonNode answer = invoke(handler, event("incoming/iris/deleted before we looked.csv"));

      // then
      assertThat(answer.at("/outcomes/0/outcome").asText()).isEqualTo("ignored");
      assertThat(answer.at("/outcomes/0/reason").asText()).contains("gone");
      assertThat(store.list("failed/incoming/iris/deleted")).isEmpty();
    }
  }

  @Test
  void handleRequest_should_setTheUploadAsideWithItsReason_when_itCannotBeScored()
      throws Exception {
    // given
    store.put(
        "incoming/iris/bad.csv",
        "id,sepal_length,sepal_width,petal_length,petal_width\n1,5.1,3.5,1.4,tall\n"
            .getBytes(StandardCharsets.UTF_8));
    try (var context = start(AwsClients.s3(settings()))) {
      LambdaEntry handler = new LambdaEntry(FunctionRole.S3, context);

      // when
      JsonNode answer = invoke(handler, event("incoming/iris/bad.csv"));

      // then
      assertThat(answer.at("/outcomes/0/outcome").asText()).isEqualTo("failed");
      assertThat(store.exists("failed/incoming/iris/bad.csv")).isTrue();
      assertThat(
              new String(
                  store.read("failed/incoming/iris/bad.csv.error.json"), StandardCharsets.UTF_8))
          .contains("petal_width");
      assertThat(store.exists("incoming/iris/bad.csv")).as("the input stays").isTrue();
      assertThat(store.exists("predictions/iris/bad.csv.jsonl")).isFalse();
    }
  }

  @Test
  void handleRequest_should_failTheInvocationAndWriteNothing_when_theOutputUploadBreaks()
      throws Exception {
    // given
    store.put(
        "incoming/iris/big.csv", TestModels.incomingCsv(5000, 6).getBytes(StandardCharsets.UTF_8));
    S3Client breaking =
        AwsClients.s3Builder(settings())
            .overrideConfiguration(
                c -> c.addExecutionInterceptor(new FailingUploads("predictions/")))
            .build();
    try (var context = start(breaking)) {
      LambdaEntry handler = new LambdaEntry(FunctionRole.S3, context);

      // when, then: thrown, so Lambda retries the event
      assertThatThrownBy(() -> invoke(handler, event("incoming/iris/big.csv")))
          .hasRootCauseMessage("connection lost midway through the upload (test fault)");
      assertThat(store.exists("predictions/iris/big.csv.jsonl")).isFalse();
      assertThat(store.exists("failed/incoming/iris/big.csv"))
          .as("a storage fault is not bad input")
          .isFalse();
    }
  }

  /** The S3 fixture with {@code key} in it, form-encoded as S3 sends it. */
  private static byte[] event(String key) throws Exception {
    ObjectNode event =
        (ObjectNode)
            TriadJson.mapper()
                .readTree(S3EventsIT.class.getResourceAsStream("/events/aws/s3/put.json"));
    ObjectNode s3 = (ObjectNode) event.at("/Records/0/s3");
    ((ObjectNode) s3.get("bucket")).put("name", BUCKET);
    ((ObjectNode) s3.get("object"))
        .put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
    return TriadJson.mapper().writeValueAsBytes(event);
  }

  private static JsonNode invoke(LambdaEntry handler, byte[] event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, null);
    return TriadJson.mapper().readTree(out.toByteArray());
  }

  /** The suite over {@code s3} (a client the test may break), as AwsRuntime wires it. */
  private static ConfigurableApplicationContext start(S3Client s3) {
    return TriadContext.using(S3EventsIT.class.getClassLoader())
        .properties(TestModels.TRUST_SETTING)
        .start(
            new TriadFunctions(),
            (GenericApplicationContext context) -> {
              context.registerBean(AwsSettings.class, S3EventsIT::settings);
              context.registerBean(BlobStore.class, () -> new S3BlobStore(s3, BUCKET));
              context.registerBean(TrainingLauncher.class, () -> new RecordingTrainingLauncher());
            });
  }
}
