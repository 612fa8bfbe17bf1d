package io.triad.functions.internal.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.store.BlobStore;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Uploads too large to score or to copy (limits set small here, as 2 GiB and 64 MiB by default):
 * refused unread with the setting named, or refused at the first over-long line, and never copied
 * whole under {@code failed/}.
 */
class HugeUploadsTest {
  @TempDir static Path bucket;
  private static ConfigurableApplicationContext context;
  private static BlobStore store;
  private static Function<ObjectCreated, Outcome> onObjectCreated;

  @BeforeAll
  static void start() {
    context =
        TriadTestApp.start(
            bucket,
            new RecordingTrainingLauncher(),
            "triad.max-upload-bytes=3000000",
            "triad.max-failed-copy-bytes=1000000");
    store = context.getBean(BlobStore.class);
    new TestModels(store).publishIris("1");
    onObjectCreated = context.getBean(FunctionCatalog.class).lookup("onObjectCreated");
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  /** A sparse file of {@code size} NUL bytes, as a disk image or a broken copy can be. */
  private static void sparse(String key, long size) throws Exception {
    Path path = bucket.resolve(key);
    Files.createDirectories(path.getParent());
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(size);
    }
  }

  @Test
  void upload_should_beRefusedUnreadAndNotCopied_when_itIsOverTheUploadLimit() throws Exception {
    // given a 4 MB upload over a 3 MB limit
    sparse("incoming/iris/huge.csv", 4_000_000);

    // when its event arrives
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of("incoming/iris/huge.csv"));

    // then it is set aside with the setting named, and the record stands for the copy
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    String record = new String(store.read("failed/incoming/iris/huge.csv.error.json"), UTF_8);
    assertThat(record).contains("over triad.max-upload-bytes (3000000 bytes)", "no copy kept");
    assertThat(store.exists("failed/incoming/iris/huge.csv")).isFalse();
    assertThat(store.exists("incoming/iris/huge.csv")).as("the original stays").isTrue();
  }

  @Test
  void upload_should_beRefusedAtTheFirstLongLine_when_aJsonLinesFileHasNoLineBreaks()
      throws Exception {
    // given 2 MB of NUL bytes (no line break) under the upload limit, over the copy limit
    sparse("incoming/iris/zeros.jsonl", 2_000_000);

    // when its event arrives
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of("incoming/iris/zeros.jsonl"));

    // then line 1 is refused before it is held whole, and no 2 MB copy is made
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    String record = new String(store.read("failed/incoming/iris/zeros.jsonl.error.json"), UTF_8);
    assertThat(record).contains("line 1 is longer than", "no copy kept");
    assertThat(store.exists("failed/incoming/iris/zeros.jsonl")).isFalse();
  }

  @Test
  void upload_should_keepACopy_when_itFailsUnderTheCopyLimit() throws Exception {
    // given a small bad upload
    store.put("incoming/iris/small.csv", "id,colour\n1,blue\n".getBytes(UTF_8));

    // when its event arrives, then the copy and the reason are both kept
    onObjectCreated.apply(ObjectCreated.of("incoming/iris/small.csv"));
    assertThat(store.exists("failed/incoming/iris/small.csv")).isTrue();
    assertThat(store.exists("failed/incoming/iris/small.csv.error.json")).isTrue();
  }
}
