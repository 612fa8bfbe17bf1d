package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every event fixture under {@code events/aws/{source}/NAME.json} through the handler of its role,
 * compared with {@code NAME.expected.json} beside it: the response the handler writes or, when the
 * invocation fails, {@code {"errorType", "errorMessage"}} as the runtime client reports it.
 */
class HandlerFixtureTest {
  private static final Map<String, FunctionRole> SOURCES =
      Map.of(
          "apigw-v2", FunctionRole.HTTP,
          "function-url", FunctionRole.HTTP,
          "s3", FunctionRole.S3,
          "eventbridge", FunctionRole.SCHEDULE);

  @TempDir static Path bucket;
  private static ConfigurableApplicationContext context;
  private static final Map<FunctionRole, LambdaEntry> handlers = new EnumMap<>(FunctionRole.class);
  private static final ObjectMapper json = TriadJson.mapper();

  @BeforeAll
  static void startSuiteOverADirectoryBucket() {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    new TestModels(store).publishIris("1");
    store.put(
        "incoming/iris/flowers.csv", TestModels.incomingCsv(6, 1).getBytes(StandardCharsets.UTF_8));
    store.put(
        "incoming/iris/my flowers (2).csv",
        TestModels.incomingCsv(3, 2).getBytes(StandardCharsets.UTF_8));
    store.put(
        "incoming/iris/bad.csv",
        "id,sepal_length\n1,not-a-number\n".getBytes(StandardCharsets.UTF_8));
    store.put(
        "labelled/iris/check.csv", TestModels.labelledCsv(5, 3).getBytes(StandardCharsets.UTF_8));
    store.put(
        "data/iris/train.csv", TestModels.labelledCsv(10, 4).getBytes(StandardCharsets.UTF_8));
    context =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "TRIAD_BUCKET=triad-test",
            // the catalog infra sets as TRIAD_CATALOG
            "triad.catalog=iris");
    for (FunctionRole role : FunctionRole.values()) {
      handlers.put(role, new LambdaEntry(role, context));
    }
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @TestFactory
  Stream<DynamicTest> handleRequest_should_answerLikeTheExpectedFile_when_givenEachFixture()
      throws IOException, URISyntaxException {
    Path root = Path.of(getClass().getResource("/events/aws").toURI());
    return SOURCES.keySet().stream()
        .sorted()
        .flatMap(
            source ->
                fixtures(root.resolve(source))
                    .map(
                        event ->
                            DynamicTest.dynamicTest(
                                source + "/" + event.getFileName(),
                                () -> check(SOURCES.get(source), event))));
  }

  private static Stream<Path> fixtures(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".expected.json"))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void check(FunctionRole role, Path event) throws IOException {
    // given
    Path expectedFile =
        event.resolveSibling(event.getFileName().toString().replace(".json", ".expected.json"));
    // when, the day in a drift report's name written as DAY (the fixtures hold for any day)
    JsonNode actual =
        json.readTree(
            invoke(handlers.get(role), Files.newInputStream(event))
                .toString()
                .replaceAll("/drift-\\d{4}-\\d{2}-\\d{2}\\.", "/drift-DAY."));
    // then
    assertThat(expectedFile)
        .as("expected response beside the fixture; actual:%n%s", actual.toPrettyString())
        .exists();
    assertThat(actual)
        .as("response to %s", event.getFileName())
        .isEqualTo(json.readTree(expectedFile.toFile()));
  }

  /** Invokes like the runtime client: the written response, or the failure it would report. */
  static JsonNode invoke(LambdaEntry handler, InputStream event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (event) {
      handler.handleRequest(event, out, null);
      return json.readTree(out.toByteArray());
    } catch (RuntimeException e) {
      ObjectNode error = json.createObjectNode();
      error.put("errorType", e.getClass().getSimpleName());
      error.put("errorMessage", e.getMessage());
      return error;
    }
  }
}
