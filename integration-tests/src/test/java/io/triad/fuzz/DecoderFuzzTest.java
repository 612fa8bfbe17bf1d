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
import io.triad.functions.testing.PlainText;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    PlainText.assertPlain(path, new String(answer.body(), StandardCharsets.UTF_8));
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
      PlainText.assertPlain(key, refused.getMessage());
    }
  }

  @FuzzTest(maxDuration = "5s")
  void decode_should_decodeOrRefuseWith4xx_when_givenAnyBytes(byte[] bytes) {
    decodeOrRefuse("fuzzed image", bytes);
  }

  @Test
  void decode_should_refuseInPlainWords_when_givenMutatedBmpTiffPngAndJpeg() throws IOException {
    // given a small picture in four formats, each mutated 150 ways: bytes overwritten at random,
    // cut short, or a run zeroed (where the JDK's BMP and TIFF readers once threw end-of-file and
    // null-pointer errors whose text reached the answer)
    BufferedImage picture = new BufferedImage(23, 17, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 23; x++) {
        picture.setRGB(x, y, (x * 11) << 16 | (y * 15) << 8 | (x + y) * 5);
      }
    }
    Random random = new Random(600);
    int refused = 0;
    for (String format : List.of("bmp", "tiff", "png", "jpeg")) {
      ByteArrayOutputStream encoded = new ByteArrayOutputStream();
      assertThat(ImageIO.write(picture, format, encoded)).as(format).isTrue();
      byte[] original = encoded.toByteArray();
      for (int i = 0; i < 150; i++) {
        byte[] mutated = mutate(original, random);
        // when each is decoded, then it decodes or is refused with a 4xx in plain words
        refused += decodeOrRefuse(format + " mutation " + i, mutated) ? 0 : 1;
      }
    }
    // and the corpus exercises the refusals: most mutations are refused, not decoded
    assertThat(refused).isGreaterThan(300);
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = original.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int n = 1 + random.nextInt(8); n > 0; n--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
      default -> {
        int from = random.nextInt(bytes.length);
        Arrays.fill(bytes, from, Math.min(bytes.length, from + 1 + random.nextInt(64)), (byte) 0);
      }
    }
    return bytes;
  }

  /** Whether {@code bytes} decoded; a refusal must be a 4xx in plain words. */
  private static boolean decodeOrRefuse(String what, byte[] bytes) {
    try {
      ImageDecoder.decode(bytes, 1_000_000, new int[] {255, 255, 255});
      return true;
    } catch (TriadError refused) {
      assertThat(refused.status()).as(refused.getMessage()).isBetween(400, 499);
      PlainText.assertPlain(what, refused.getMessage());
      return false;
    }
  }
}
