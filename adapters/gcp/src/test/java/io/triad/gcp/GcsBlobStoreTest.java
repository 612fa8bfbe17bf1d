package io.triad.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.triad.functions.api.TriadError;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.gcp.testing.FakeGoogleCloud;
import io.triad.gcs.GcsBlobStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;

class GcsBlobStoreTest {
  private final Storage storage = FakeGoogleCloud.storage();
  private final String bucket = "store-" + UUID.randomUUID();
  private final GcsBlobStore store = new GcsBlobStore(storage, bucket);

  @Test
  void put_should_writeAnObjectWithItsContentType_when_theKeyIsNew() throws Exception {
    // when
    store.put("predictions/iris/a.jsonl", bytes("{\"id\":1}\n"));

    // then
    assertThat(store.read("predictions/iris/a.jsonl")).isEqualTo(bytes("{\"id\":1}\n"));
    assertThat(storage.get(BlobId.of(bucket, "predictions/iris/a.jsonl")).getContentType())
        .isEqualTo("application/x-ndjson");
    assertThat(store.head("predictions/iris/a.jsonl")).map(BlobInfo::size).contains(9L);
  }

  // LocalStorageHelper refuses every precondition option, so the conditional put is checked on the
  // request it sends: GCS itself enforces ifGenerationMatch=0 and answers 412 when the object
  // exists
  @Test
  void putIfAbsent_should_sendTheDoesNotExistPrecondition_when_writing() {
    // given
    Storage mock = Mockito.mock(Storage.class);
    GcsBlobStore conditional = new GcsBlobStore(mock, bucket);

    // when
    boolean created = conditional.putIfAbsent("models/iris/aliases/lock", bytes("first"));

    // then
    assertThat(created).isTrue();
    Mockito.verify(mock)
        .create(
            Mockito.argThat(info -> info.getName().equals("models/iris/aliases/lock")),
            Mockito.eq(bytes("first")),
            Mockito.eq(Storage.BlobTargetOption.doesNotExist()));
  }

  @Test
  void putIfAbsent_should_returnFalse_when_gcsAnswersPreconditionFailed() {
    // given
    Storage mock = Mockito.mock(Storage.class);
    Mockito.when(
            mock.create(
                Mockito.any(com.google.cloud.storage.BlobInfo.class),
                Mockito.any(byte[].class),
                Mockito.any(Storage.BlobTargetOption.class)))
        .thenThrow(new StorageException(412, "conditionNotMet"));

    // when / then
    assertThat(
            new GcsBlobStore(mock, bucket).putIfAbsent("models/iris/aliases/lock", bytes("second")))
        .isFalse();
  }

  @Test
  void putIfAbsent_should_throw_when_gcsFailsOtherwise() {
    // given
    Storage mock = Mockito.mock(Storage.class);
    Mockito.when(
            mock.create(
                Mockito.any(com.google.cloud.storage.BlobInfo.class),
                Mockito.any(byte[].class),
                Mockito.any(Storage.BlobTargetOption.class)))
        .thenThrow(new StorageException(503, "backendError"));

    // when / then
    assertThatThrownBy(() -> new GcsBlobStore(mock, bucket).putIfAbsent("k/x", bytes("x")))
        .isInstanceOf(StorageException.class);
  }

  @Test
  void put_should_uploadTheFile_when_givenALocalFile(@TempDir Path dir) throws Exception {
    // given
    Path file = Files.writeString(dir.resolve("staged.jsonl"), "line\n".repeat(1000));

    // when
    store.put("predictions/iris/big.jsonl", file);

    // then
    assertThat(store.read("predictions/iris/big.jsonl")).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void list_should_returnKeysUnderThePrefixInOrder_when_objectsExist() {
    // given
    store.put("incoming/iris/b.csv", bytes("b"));
    store.put("incoming/iris/a.csv", bytes("a"));
    store.put("incoming/other/c.csv", bytes("c"));

    // when / then
    assertThat(store.list("incoming/iris/"))
        .extracting(BlobInfo::key)
        .containsExactly("incoming/iris/a.csv", "incoming/iris/b.csv");
  }

  @Test
  void copyAndDelete_should_moveTheObject_when_itExists() {
    // given
    store.put("candidates/iris/2/model.onnx", bytes("onnx"));

    // when
    store.move("candidates/iris/2/model.onnx", "models/iris/2/model.onnx");

    // then
    assertThat(store.exists("candidates/iris/2/model.onnx")).isFalse();
    assertThat(store.read("models/iris/2/model.onnx")).isEqualTo(bytes("onnx"));
    store.delete("candidates/iris/2/model.onnx"); // deleting what is gone is not an error
  }

  @Test
  void open_should_throwNoSuchObject_when_theKeyIsMissing() {
    assertThatThrownBy(
            () -> {
              try (InputStream in = store.open("incoming/iris/gone.csv")) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(NoSuchObjectException.class);
    assertThat(store.head("incoming/iris/gone.csv")).isEmpty();
  }

  @Test
  void put_should_rejectTheKey_when_itEscapesTheBucketLayout() {
    assertThatThrownBy(() -> store.put("../elsewhere", bytes("x"))).isInstanceOf(TriadError.class);
  }

  @Test
  void openUri_should_findTheGsProvider_when_givenAGsUri() {
    // when (the provider builds a real client lazily: no credentials are needed until a call)
    BlobStore opened = BlobStoreProvider.openUri("gs://some-bucket");

    // then
    assertThat(opened).isInstanceOf(GcsBlobStore.class);
    assertThat(opened.uri()).isEqualTo("gs://some-bucket");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
