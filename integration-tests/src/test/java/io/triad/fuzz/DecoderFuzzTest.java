package io.triad.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.TriadError;
import io.triad.functions.api.TriadJson;
import io.triad.functions.http.HttpAnswer;
import io.triad.functions.http.HttpCall;
import io.triad.functions.http.InferenceApi;
import io.triad.functions.image.ImageDecoder;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.tabular.RecordSource;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Jazzer on what decodes untrusted bytes: the HTTP API, the table readers and the image decoder.
 * The only failures allowed are the documented 4xx {@link TriadError}s; anything else (a 500, an
 * unchecked exception, a hang) is a finding. The normal build replays the seed corpus under {@code
 * src/test/resources/io/triad/fuzz/DecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class DecoderFuzzTest {
  private static final List<String> PATHS =
      List.of(
          "/v2/models/iris/infer",
          "/v1/models/iris:predict",
          "/v2/models/iris/versions/1/infer",
          "/v1/models/iris/versions/1:predict");
  private static final List<String> CONTENT_TYPES =
      List.of("application/json", "application/json; charset=utf-8", "text/plain", "");
  private static final List<String> TABLES = List.of("x.csv", "x.jsonl", "x.json");
  private static final int MAX_ROWS = 1000;
  private static final ObjectMapper JSON = TriadJson.mapper();

  @TempDir static Path bucket;
  private static ConfigurableApplicationContext context;
  private static InferenceApi api;

  @BeforeAll
  static void startApi() {
    new TestModels(new FileSystemBlobStore(bucket)).publishIris("1");
    context =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.models.iris.training-data=data/iris/train.csv");
    api = context.getBean(InferenceApi.class);
  }

  @AfterAll
  static void stopApi() {
    context.close();
  }

  @FuzzTest(maxDuration = "5s")
  void handle_should_answerBelow500WithAJsonBody_when_givenAnyBody(FuzzedDataProvider data)
      throws IOException {
    // given
    String path = data.pickValue(PATHS);
    String contentType = data.pickValue(CONTENT_TYPES);
    byte[] body = data.consumeRemainingAsBytes();

    // when
    HttpAnswer answer =
        api.handle(
            new HttpCall(
                "POST",
                path,
                contentType.isEmpty() ? Map.of() : Map.of("Content-Type", contentType),
                body));

    // then
    assertThat(answer.status()).as("status for %d bytes to %s", body.length, path).isLessThan(500);
    assertThat(JSON.readTree(answer.body()).isObject()).isTrue();
  }

  @FuzzTest(maxDuration = "5s")
  void recordSource_should_readRowsOrRefuseWith4xx_when_givenAnyBytes(FuzzedDataProvider data) {
    String key = data.pickValue(TABLES);
    byte[] bytes = data.consumeRemainingAsBytes();
    try (RecordSource rows = RecordSource.open(key, new ByteArrayInputStream(bytes), JSON)) {
      for (int i = 0; i < MAX_ROWS && rows.next() != null; i++) {
        // reading is the test: a row, the end, or a TriadError
      }
    } catch (TriadError refused) {
      assertThat(refused.status()).as(refused.getMessage()).isBetween(400, 499);
    }
  }

  @FuzzTest(maxDuration = "5s")
  void decode_should_decodeOrRefuseWith4xx_when_givenAnyBytes(byte[] bytes) {
    try {
      ImageDecoder.decode(bytes, 1_000_000, new int[] {255, 255, 255});
    } catch (TriadError refused) {
      assertThat(refused.status()).as(refused.getMessage()).isBetween(400, 499);
    }
  }
}
