package io.triad.functions.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.functions.api.TriadError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSystemBlobStoreTest {

  @TempDir Path dir;

  private FileSystemBlobStore store() {
    return new FileSystemBlobStore(dir.resolve("bucket"));
  }

  @Test
  void put_shouldStoreBytesReadableByKey_whenKeyIsNested() throws IOException {
    // given
    FileSystemBlobStore store = store();

    // when
    store.put("a/b/c.txt", "hello".getBytes(UTF_8));

    // then
    assertThat(new String(store.read("a/b/c.txt"), UTF_8)).isEqualTo("hello");
    assertThat(store.head("a/b/c.txt"))
        .hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(5));
    try (InputStream in = store.open("a/b/c.txt")) {
      assertThat(in.readAllBytes()).hasSize(5);
    }
    assertThat(store.exists("a/b")).isFalse();
  }

  @Test
  void put_shouldReplaceObject_whenKeyExists() {
    // given
    FileSystemBlobStore store = store();
    store.put("k", "one".getBytes(UTF_8));

    // when
    store.put("k", "two".getBytes(UTF_8));

    // then
    assertThat(store.read("k")).isEqualTo("two".getBytes(UTF_8));
  }

  @Test
  void putFile_shouldCopyFileContent_whenGivenLocalPath() throws IOException {
    // given
    FileSystemBlobStore store = store();
    Path local = Files.writeString(dir.resolve("local.txt"), "from disk");

    // when
    store.put("x/y.txt", local);

    // then
    assertThat(store.read("x/y.txt")).isEqualTo("from disk".getBytes(UTF_8));
  }

  @Test
  void list_shouldReturnMatchingKeysInOrder_whenPrefixGiven() {
    // given
    FileSystemBlobStore store = store();
    store.put("models/iris/2/model.onnx", new byte[] {1});
    store.put("models/iris/1/model.onnx", new byte[] {1});
    store.put("models/irises/1/model.onnx", new byte[] {1});
    store.put("other/x", new byte[] {1});

    // when / then
    assertThat(store.list("models/iris/"))
        .extracting(BlobInfo::key)
        .containsExactly("models/iris/1/model.onnx", "models/iris/2/model.onnx");
    assertThat(store.list("models/iris"))
        .extracting(BlobInfo::key)
        .containsExactly(
            "models/iris/1/model.onnx", "models/iris/2/model.onnx", "models/irises/1/model.onnx");
    assertThat(store.list("")).hasSize(4);
    assertThat(store.list("nothing/")).isEmpty();
  }

  @Test
  void list_shouldNeverShowStagingFiles_whenLeftoverStagedWriteExists() throws IOException {
    // given
    FileSystemBlobStore store = store();
    store.put("a.txt", new byte[] {1});
    Files.writeString(
        store.root().resolve(FileSystemBlobStore.TEMP_DIR).resolve("half.part"), "partial");

    // when / then
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("a.txt");
    assertThat(store.list(".triad")).isEmpty();
  }

  @Test
  void copy_shouldDuplicateObject_andDeleteShouldRemoveIt() {
    // given
    FileSystemBlobStore store = store();
    store.put("from/a", "data".getBytes(UTF_8));

    // when
    store.copy("from/a", "to/b");
    store.delete("from/a");
    store.delete("from/a");

    // then
    assertThat(store.exists("from/a")).isFalse();
    assertThat(store.read("to/b")).isEqualTo("data".getBytes(UTF_8));
  }

  @Test
  void open_shouldThrowNoSuchObject_whenKeyMissing() {
    // given
    FileSystemBlobStore store = store();

    // when / then
    assertThatThrownBy(() -> store.open("missing")).isInstanceOf(NoSuchObjectException.class);
    assertThat(store.head("missing")).isEmpty();
  }

  @Test
  void putIfAbsent_shouldCreateOnce_whenCalledTwice() {
    // given
    FileSystemBlobStore store = store();

    // when
    boolean first = store.putIfAbsent("lock/1", "first".getBytes(UTF_8));
    boolean second = store.putIfAbsent("lock/1", "second".getBytes(UTF_8));

    // then
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(store.read("lock/1")).isEqualTo("first".getBytes(UTF_8));
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("lock/1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../escape.txt",
        "a/../../escape.txt",
        "/etc/escape.txt",
        "a\\..\\escape.txt",
        "a//b",
        "a/",
        "a/./b",
        "nul\u0000byte",
        ".",
        ""
      })
  void put_shouldRejectWith400AndWriteNothing_whenKeyIsUnsafe(String key) throws IOException {
    // given
    FileSystemBlobStore store = store();

    // when / then
    assertThatThrownBy(() -> store.put(key, "x".getBytes(UTF_8)))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> store.open(key)).isInstanceOf(TriadError.class);
    assertThatThrownBy(() -> store.putIfAbsent(key, new byte[] {1})).isInstanceOf(TriadError.class);
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void put_shouldRejectWith400_whenKeyPointsIntoStagingArea() {
    // given
    FileSystemBlobStore store = store();

    // when / then
    assertThatThrownBy(() -> store.put(FileSystemBlobStore.TEMP_DIR + "/x", new byte[] {1}))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void list_shouldRejectWith400_whenPrefixLeavesBucket() {
    // given
    FileSystemBlobStore store = store();

    // when / then
    assertThatThrownBy(() -> store.list("../"))
        .isInstanceOfSatisfying(TriadError.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void keyOf_shouldMapFilesBackToKeys_whenInsideBucketOnly() {
    // given
    FileSystemBlobStore store = store();

    // when / then
    assertThat(store.keyOf(store.root().resolve("a/b.csv"))).hasValue("a/b.csv");
    assertThat(store.keyOf(dir.resolve("elsewhere.csv"))).isEmpty();
    assertThat(store.keyOf(store.root().resolve(FileSystemBlobStore.TEMP_DIR).resolve("x")))
        .isEmpty();
  }

  @Test
  void put_shouldKeepUserMetadata_whenHeadedOrCopied() throws IOException {
    // given an object written with metadata, from bytes and from a file
    FileSystemBlobStore store = store();
    Map<String, String> trace =
        Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    store.put("predictions/iris/a.jsonl", "{}".getBytes(StandardCharsets.UTF_8), trace);
    Path file = Files.writeString(dir.resolve("local.csv"), "a\n1\n");
    store.put("incoming/iris/b.csv", file, trace);

    // when it is headed, copied and replaced without metadata
    store.copy("incoming/iris/b.csv", "failed/incoming/iris/b.csv");
    store.put("predictions/iris/c.jsonl", "{}".getBytes(StandardCharsets.UTF_8));

    // then head gives the metadata back, the copy keeps it, a plain put has none
    assertThat(store.head("predictions/iris/a.jsonl").orElseThrow().metadata()).isEqualTo(trace);
    assertThat(store.head("incoming/iris/b.csv").orElseThrow().metadata()).isEqualTo(trace);
    assertThat(store.head("failed/incoming/iris/b.csv").orElseThrow().metadata()).isEqualTo(trace);
    assertThat(store.head("predictions/iris/c.jsonl").orElseThrow().metadata()).isEmpty();
    assertThat(store.read("predictions/iris/a.jsonl"))
        .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }
}
