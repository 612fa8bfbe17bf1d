package io.triad.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.functions.api.TriadJson;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.PlainText;
import io.triad.layout.BucketLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The upload half of the contract. {@code contract/uploads/NAME} is uploaded as {@code
 * incoming/iris/NAME}, {@code contract/uploads/MODEL/NAME} as {@code incoming/MODEL/NAME}; {@code
 * NAME.expected.json} lists every object that must appear under {@code predictions/MODEL/STEM.} and
 * {@code failed/incoming/MODEL/NAME}, each as its text, as JSON (compared parsed; {@code failedAt}
 * is a clock reading and is left out), or {@code "=upload"} for a byte-for-byte copy of the upload.
 */
final class UploadContract {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final String SAME_AS_UPLOAD = "=upload";
  private static final Duration OUTPUT_WAIT = Duration.ofSeconds(30);

  private UploadContract() {}

  static java.util.List<Path> fixtures(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().endsWith(".expected.json"))
          .sorted()
          .toList();
    }
  }

  /** The model a fixture is uploaded for: its folder's name, iris at the top. */
  private static String model(Path file) {
    String folder = file.getParent().getFileName().toString();
    return folder.equals("uploads") ? "iris" : folder;
  }

  /**
   * Uploads {@code file} under a name with {@code suffix} and compares the outputs with the
   * expected file.
   */
  static void check(RuntimeUnderTest runtime, Path file, String suffix) throws Exception {
    // given
    byte[] upload = Files.readAllBytes(file);
    String name = file.getFileName().toString();
    String model = model(file);
    String key = "incoming/" + model + "/" + name;
    String where = runtime.name() + " / upload " + key;

    // when
    runtime.bucket().put(key, upload);
    runtime.announce(key);
    Map<String, byte[]> outputs = awaitOutputs(runtime.bucket(), model, name);

    // then
    Path expectedFile = file.resolveSibling(name + ".expected.json");
    if (!Files.exists(expectedFile)
        && Boolean.getBoolean("triad.contract.record")
        && runtime instanceof LocalUnderTest) {
      record(expectedFile, model, outputs, upload);
    }
    assertThat(expectedFile)
        .as("%s: expected outputs beside the fixture; got %s", where, outputs.keySet())
        .exists();
    outputs.forEach(
        (output, bytes) -> {
          if (output.endsWith(BucketLayout.FAILURE_SUFFIX)) {
            PlainText.assertPlain(where + ": " + output, new String(bytes, StandardCharsets.UTF_8));
          }
        });
    JsonNode expected = JSON.readTree(expectedFile.toFile()).get("outputs");
    assertThat(outputs.keySet())
        .as("%s: output keys", where)
        .containsExactlyElementsOf(() -> expected.fieldNames());
    expected
        .properties()
        .forEach(
            e ->
                assertOutput(
                    where + ": " + e.getKey(), e.getValue(), outputs.get(e.getKey()), upload));
    assertThat(runtime.bucket().read(key))
        .as("%s: the upload stays where it was put, unchanged", where)
        .isEqualTo(upload);
  }

  /**
   * Delivers one upload's event {@code times} times: one output, whole, the same as for one
   * delivery.
   */
  static void checkRepeated(RuntimeUnderTest runtime, Path file, int times) throws Exception {
    byte[] upload = Files.readAllBytes(file);
    String name = "repeated-" + file.getFileName();
    String key = "incoming/iris/" + name;
    runtime.bucket().put(key, upload);
    for (int i = 0; i < times; i++) {
      runtime.announce(key);
    }
    Map<String, byte[]> outputs = awaitOutputs(runtime.bucket(), "iris", name);
    assertThat(outputs.keySet())
        .as("%s: outputs after %d deliveries", runtime.name(), times)
        .containsExactly("predictions/iris/" + name + ".jsonl");
    JsonNode expected =
        JSON.readTree(file.resolveSibling(file.getFileName() + ".expected.json").toFile())
            .get("outputs")
            .get("predictions/iris/" + file.getFileName() + ".jsonl");
    assertOutput(
        runtime.name() + ": " + times + " deliveries",
        expected,
        outputs.get("predictions/iris/" + name + ".jsonl"),
        upload);
  }

  private static void assertOutput(String where, JsonNode expected, byte[] actual, byte[] upload) {
    if (expected.isTextual() && expected.asText().equals(SAME_AS_UPLOAD)) {
      assertThat(actual).as("%s: a byte-for-byte copy of the upload", where).isEqualTo(upload);
    } else if (expected.isTextual()) {
      assertThat(new String(actual, StandardCharsets.UTF_8)).as(where).isEqualTo(expected.asText());
    } else {
      assertThat(withoutClock(read(actual))).as(where).isEqualTo(expected);
    }
  }

  /**
   * What the runtime wrote for upload {@code name}, once it has written something: the clouds
   * answer their event after writing; the local runtime's watcher acts on its own time.
   */
  private static Map<String, byte[]> awaitOutputs(BlobStore bucket, String model, String name)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(OUTPUT_WAIT);
    Map<String, byte[]> outputs = outputs(bucket, model, name);
    while (!complete(outputs, model, name) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      outputs = outputs(bucket, model, name);
    }
    return outputs;
  }

  // a failure is complete once its reason is written (the recorder writes the copy first)
  private static boolean complete(Map<String, byte[]> outputs, String model, String name) {
    return outputs.keySet().stream().anyMatch(k -> k.startsWith("predictions/"))
        || outputs.containsKey("failed/incoming/" + model + "/" + name + ".error.json");
  }

  private static Map<String, byte[]> outputs(BlobStore bucket, String model, String name) {
    Map<String, byte[]> outputs = new TreeMap<>();
    Stream.concat(
            bucket.list("predictions/" + model + "/" + name + ".").stream(),
            bucket.list("failed/incoming/" + model + "/" + name).stream())
        .map(BlobInfo::key)
        .forEach(key -> outputs.put(key, bucket.read(key)));
    return outputs;
  }

  private static JsonNode read(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  private static JsonNode withoutClock(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode copy = object.deepCopy();
      copy.remove("failedAt");
      return copy;
    }
    return node;
  }

  private static void record(
      Path expectedFile, String model, Map<String, byte[]> outputs, byte[] upload)
      throws IOException {
    ObjectNode expected = JSON.createObjectNode();
    ObjectNode files = expected.putObject("outputs");
    outputs.forEach(
        (key, bytes) -> {
          if (Arrays.equals(bytes, upload)) {
            files.put(key, SAME_AS_UPLOAD);
          } else if (key.endsWith(".json")) {
            files.set(key, withoutClock(read(bytes)));
          } else {
            files.put(key, new String(bytes, StandardCharsets.UTF_8));
          }
        });
    Path source =
        Path.of(System.getProperty("triad.contract.uploads", "src/test/resources/contract/uploads"))
            .resolve(model.equals("iris") ? "" : model)
            .resolve(expectedFile.getFileName().toString());
    JSON.writerWithDefaultPrettyPrinter().writeValue(source.toFile(), expected);
    JSON.writerWithDefaultPrettyPrinter().writeValue(expectedFile.toFile(), expected);
  }
}
