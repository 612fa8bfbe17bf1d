package io.triad.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triad.aws.testing.FailingUploads;
import io.triad.aws.testing.S3Emulator;
import io.triad.functions.store.BlobInfo;
import io.triad.functions.store.NoSuchObjectException;
import io.triad.s3.S3BlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link S3BlobStore} against npm s3rver on 127.0.0.1. */
class S3BlobStoreIT {
  private static final String BUCKET = "triad-store-it";

  @TempDir static Path dir;
  private static S3Emulator s3rver;
  private static S3BlobStore store;

  @BeforeAll
  static void startS3rver() throws Exception {
    s3rver = S3Emulator.start(dir.resolve("s3rver"), BUCKET, null);
    store = new S3BlobStore(AwsClients.s3(settings()), BUCKET);
  }

  @AfterAll
  static void stopS3rver() throws Exception {
    s3rver.close();
  }

  static AwsSettings settings() {
    return AwsSettings.from(Map.of(AwsSettings.S3_ENDPOINT, s3rver.endpoint().toString())::get);
  }

  @Test
  void store_should_readWriteListCopyDelete_when_talkingToS3() throws Exception {
    // given
    store.put("a/one.txt", "one".getBytes(StandardCharsets.UTF_8));
    Path file = Files.writeString(dir.resolve("two.txt"), "two two");
    store.put("a/b/two (2).txt", file);

    // when
    store.copy("a/one.txt", "c/one.txt");
    store.delete("a/one.txt");
    store.delete("never/there");

    // then
    assertThat(store.list("a/")).extracting(BlobInfo::key).containsExactly("a/b/two (2).txt");
    assertThat(store.head("a/b/two (2).txt")).get().extracting(BlobInfo::size).isEqualTo(7L);
    assertThat(new String(store.read("c/one.txt"), StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(store.head("a/one.txt")).isEmpty();
    assertThatThrownBy(() -> store.open("a/one.txt")).isInstanceOf(NoSuchObjectException.class);
    assertThat(store.uri()).isEqualTo("s3://" + BUCKET);
  }

  @Test
  void putIfAbsent_should_writeOnce_when_calledTwice() {
    // when
    boolean first =
        store.putIfAbsent("models/iris/aliases/lock", "1".getBytes(StandardCharsets.UTF_8));
    boolean second =
        store.putIfAbsent("models/iris/aliases/lock", "2".getBytes(StandardCharsets.UTF_8));

    // then
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(new String(store.read("models/iris/aliases/lock"), StandardCharsets.UTF_8))
        .isEqualTo("1");
  }

  @Test
  void putIfAbsent_should_createOnce_when_eightWritersRaceForTheKey() throws Exception {
    io.triad.functions.testing.CreateRace.run(
        store, "candidates/iris/20261204-030000/launch.json", 8);
  }

  @Test
  void put_should_leaveNoObject_when_theUploadBreaksMidway() throws Exception {
    // given
    S3Client breaking =
        AwsClients.s3Builder(settings())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new FailingUploads("broken/")))
            .build();
    S3BlobStore failing = new S3BlobStore(breaking, BUCKET);
    Path big = Files.write(dir.resolve("big.bin"), new byte[256 * 1024]);

    // when, then
    assertThatThrownBy(() -> failing.put("broken/big.bin", big))
        .hasRootCauseMessage("connection lost midway through the upload (test fault)");
    assertThat(store.head("broken/big.bin")).isEmpty();
  }
}
